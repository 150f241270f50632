import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real package directory of this repository. */
export const FORCE_APP = join(__dirname, '..', '..', 'force-app');

/** A throw-away copy of force-app, to break deliberately. Paths are relative to main/default. */
export interface PackageCopy {
  readonly packageDir: string;
  /** The path a finding shows for a file of the copy (relative to the copy's parent). */
  shown(rel: string): string;
  read(rel: string): string;
  write(rel: string, content: string): void;
  /** Replaces text in a file and fails loudly if the text is not there (so a test cannot pass vacuously). */
  replace(rel: string, from: string | RegExp, to: string): void;
  remove(rel: string): void;
  cleanup(): void;
}

export function copyPackage(): PackageCopy {
  const root = mkdtempSync(join(tmpdir(), 'asl-metadata-'));
  const packageDir = join(root, 'force-app');
  cpSync(FORCE_APP, packageDir, { recursive: true });
  const path = (rel: string) => join(packageDir, 'main', 'default', rel);
  return {
    packageDir,
    shown: (rel) => `force-app/main/default/${rel}`,
    read: (rel) => readFileSync(path(rel), 'utf8'),
    write: (rel, content) => writeFileSync(path(rel), content),
    replace(rel, from, to) {
      const before = readFileSync(path(rel), 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`fixture: ${String(from)} not found in ${rel}`);
      writeFileSync(path(rel), after);
    },
    remove: (rel) => rmSync(path(rel)),
    cleanup: () => rmSync(root, { recursive: true, force: true })
  };
}
