/**
 * Builds the preview bundle: the package's Lightning Web Components, compiled from
 * force-app/main/default/lwc (namespace `c`) with the LWC open source compiler, together with
 * lightning-base-components and the preview platform layer, into preview/dist/<key>/main.js.
 *
 * The key is a hash of every input (component sources, labels, static resource list, the
 * preview client, this build code and the compiler versions), so a build runs only when
 * something changed; a finished build is moved into place in one rename, so an interrupted
 * build never looks finished.
 *
 *   tsx preview/build.ts            # build unless up to date
 *   tsx preview/build.ts --force    # build again
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs';
import path from 'node:path';
import type { RollupLog } from 'rollup';
import { readLabels } from './labels';
import {
  CLIENT_DIR,
  DIST_DIR,
  LABELS_FILE,
  LWC_DIR,
  PREVIEW_DIR,
  ROOT,
  STATIC_RESOURCES_DIR
} from './paths';
import { salesforceModules } from './rollupPlugins';
import { readStaticResources } from './staticResources';

/** Packages whose versions change the output. */
const COMPILER_PACKAGES = [
  'lwc',
  '@lwc/rollup-plugin',
  '@lwc/engine-dom',
  '@lwc/synthetic-shadow',
  'lightning-base-components',
  'rollup',
  '@rollup/plugin-replace'
];
const BUILD_SOURCES = [
  'build.ts',
  'rollupPlugins.ts',
  'labels.ts',
  'staticResources.ts',
  'paths.ts'
];

export interface PreviewBuild {
  key: string;
  /** Folder holding main.js. */
  dir: string;
  /** Whether this call compiled (false: the cached build was up to date). */
  built: boolean;
  /** Milliseconds spent compiling (0 when cached). */
  millis: number;
}

type Log = (line: string) => void;

export class PreviewBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PreviewBuildError';
  }
}

/** Builds when the inputs changed since the last build; otherwise returns the cached one. */
export async function ensurePreviewBuilt(
  options: { force?: boolean; log?: Log } = {}
): Promise<PreviewBuild> {
  const log = options.log ?? (() => undefined);
  const key = buildKey();
  const dir = path.join(DIST_DIR, key);
  if (!options.force && existsSync(path.join(dir, 'main.js'))) {
    return { key, dir, built: false, millis: 0 };
  }
  mkdirSync(DIST_DIR, { recursive: true });
  const partial = path.join(DIST_DIR, `${key}.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  log(`Building the console preview (${key}); the first build takes about a minute...`);
  const started = performance.now();
  try {
    await compileInChild(partial, log);
    if (options.force) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(partial, dir);
    } catch (error) {
      // Another process finished the same build first: its output is identical.
      if (!existsSync(path.join(dir, 'main.js'))) throw error;
      rmSync(partial, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error instanceof PreviewBuildError
      ? error
      : new PreviewBuildError(
          `the preview build failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error }
        );
  }
  removeOtherBuilds(key);
  const millis = Math.round(performance.now() - started);
  log(`Console preview built in ${(millis / 1000).toFixed(1)} s.`);
  return { key, dir, built: true, millis };
}

/** Hash of everything the bundle is made from. */
export function buildKey(): string {
  const hash = createHash('sha256');
  const add = (label: string, content: string | Buffer): void => {
    hash.update(`${label}\0`);
    hash.update(content);
    hash.update('\0');
  };
  for (const file of listFiles(
    LWC_DIR,
    (relative) => !relative.split(path.sep).includes('__tests__')
  )) {
    add(path.relative(ROOT, file), readFileSync(file));
  }
  for (const file of listFiles(CLIENT_DIR, () => true))
    add(path.relative(ROOT, file), readFileSync(file));
  for (const file of BUILD_SOURCES) add(file, readFileSync(path.join(PREVIEW_DIR, file)));
  add('labels', readFileSync(LABELS_FILE));
  for (const resource of readStaticResources(STATIC_RESOURCES_DIR).values())
    add(`resource:${resource.name}`, resource.stamp);
  for (const name of COMPILER_PACKAGES) add(`package:${name}`, packageVersion(name));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Runs the compiler in a child process (this file with --out): a build takes tens of seconds of
 * CPU that must not stall the process that serves the org, and the LWC compiler packages are ES
 * modules that some hosts (jest's module runtime) cannot load.
 */
function compileInChild(outDir: string, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), __filename, '--out', outDir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    // A server that stops (npm start's Ctrl+C) takes its unfinished build with it.
    const stopChild = (): void => void child.kill();
    process.once('exit', stopChild);
    let errors = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') log(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('exit', stopChild);
      if (code === 0) resolve();
      else
        reject(new PreviewBuildError(errors.trim() || `the compiler exited with ${String(code)}`));
    });
  });
}

/** Compiles into outDir (in the child process); returns the warnings about the package's sources. */
async function compile(outDir: string): Promise<string[]> {
  const [{ rollup }, replaceModule, { default: lwcPlugin }] = await Promise.all([
    import('rollup'),
    import('@rollup/plugin-replace'),
    import('@lwc/rollup-plugin')
  ]);
  // A CommonJS module with `exports.default`: TypeScript types it one level deeper than Node loads it.
  const replace = replaceModule.default as unknown as (typeof replaceModule.default)['default'];
  const warnings: string[] = [];
  const bundle = await rollup({
    input: path.join(CLIENT_DIR, 'main.js'),
    plugins: [
      replace({
        preventAssignment: true,
        values: {
          'process.env.NODE_ENV': JSON.stringify('production'),
          'import.meta.env.SSR': 'false'
        }
      }),
      salesforceModules({
        labels: readLabels(LABELS_FILE),
        resources: readStaticResources(STATIC_RESOURCES_DIR)
      }),
      lwcPlugin({
        rootDir: CLIENT_DIR,
        // Base components such as lightning-combobox call attachInternals(); Lightning
        // Experience runs them in synthetic shadow, which needs this compiler switch.
        enableSyntheticElementInternals: true,
        modules: [...componentModules(), { npm: 'lightning-base-components' }]
      })
    ],
    onLog(level, entry: RollupLog) {
      // A module that cannot be resolved would become a bare import the browser cannot load.
      if (entry.code === 'UNRESOLVED_IMPORT') {
        throw new PreviewBuildError(`${entry.message}; the preview provides no such module`);
      }
      // lightning-base-components' own templates warn (duplicate slots); they render fine.
      if (level === 'warn' && !entry.message.includes('lightning-base-components'))
        warnings.push(entry.message);
    }
  });
  try {
    await bundle.write({
      dir: outDir,
      format: 'esm',
      inlineDynamicImports: true,
      entryFileNames: 'main.js'
    });
  } finally {
    await bundle.close();
  }
  return warnings;
}

/**
 * The package's components as namespace `c`: force-app keeps them flat (lwc/<name>/), while
 * the LWC module resolver expects <namespace>/<name>/ folders, so each one is declared by name.
 */
function componentModules(): Array<{ name: string; path: string }> {
  return readdirSync(LWC_DIR)
    .filter((name) => existsSync(path.join(LWC_DIR, name, `${name}.js`)))
    .map((name) => ({ name: `c/${name}`, path: path.join(LWC_DIR, name, `${name}.js`) }));
}

function listFiles(dir: string, keep: (relative: string) => boolean): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      if (!keep(path.relative(dir, full))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

function packageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(file))
    throw new PreviewBuildError(`package ${name} is not installed; run npm ci`);
  return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
}

/** Builds kept besides the newest: a preview server started earlier may still serve one. */
const OLDER_BUILDS_KEPT = 2;

function removeOtherBuilds(keep: string): void {
  const entries = readdirSync(DIST_DIR);
  for (const entry of entries) {
    // Partial folders of live processes are theirs to finish; those of dead ones are litter.
    const pid = /\.partial-(\d+)$/.exec(entry)?.[1];
    if (pid !== undefined && !isAlive(Number(pid)))
      rmSync(path.join(DIST_DIR, entry), { recursive: true, force: true });
  }
  const older = entries
    .filter((entry) => entry !== keep && !entry.includes('.partial-'))
    .map((entry) => ({ entry, mtime: statSync(path.join(DIST_DIR, entry)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { entry } of older.slice(OLDER_BUILDS_KEPT)) {
    rmSync(path.join(DIST_DIR, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runCli(argv: string[]): void {
  const out = argv.indexOf('--out');
  if (out !== -1) {
    const dir = argv[out + 1];
    if (dir === undefined) throw new PreviewBuildError('--out needs a folder');
    compile(dir).then(
      (warnings) => warnings.forEach((warning) => process.stdout.write(`warning: ${warning}\n`)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      }
    );
    return;
  }
  ensurePreviewBuilt({
    force: process.argv.includes('--force'),
    log: (line) => process.stdout.write(`${line}\n`)
  }).then(
    (build) =>
      process.stdout.write(
        `${build.built ? 'Built' : 'Up to date'}: ${path.relative(ROOT, build.dir)}/main.js\n`
      ),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  );
}

if (require.main === module) runCli(process.argv.slice(2));
