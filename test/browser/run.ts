/**
 * `npm run test:browser` (chained into `npm test`): the browser tests under test/browser, run
 * by jest in one process (Chromium, the local org and the preview server share it), after
 * checking that Debian's Chromium is there. Outside CI a missing Chromium skips them with a
 * message; in CI (.ci/run installs it) it fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensurePreviewBuilt } from '../../preview/build';
import { chromiumStatus } from './support/chromium';

const ROOT = path.resolve(__dirname, '../..');

const jestConfig = {
  rootDir: ROOT,
  displayName: 'browser',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }
    ]
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The first preview build compiles every component and the base components (about a minute).
  testTimeout: 180_000
};

async function main(): Promise<number> {
  const status = chromiumStatus();
  if ('skip' in status) {
    process.stdout.write(`${status.skip}\n`);
    return 0;
  }
  if ('fail' in status) {
    process.stderr.write(`${status.fail}\n`);
    return 1;
  }
  const started = performance.now();
  // Built here, outside jest's module runtime, so the tests find it cached.
  await ensurePreviewBuilt({ log: (line) => process.stdout.write(`${line}\n`) });
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--config',
      JSON.stringify(jestConfig),
      '--runInBand',
      ...process.argv.slice(2)
    ],
    { cwd: ROOT, stdio: 'inherit' }
  );
  process.stdout.write(`browser tests: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (result.error !== undefined) {
    process.stderr.write(`could not run jest: ${result.error.message}\n`);
    return 1;
  }
  return result.status ?? 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
);
