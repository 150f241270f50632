/**
 * Debian's Chromium driven by playwright-core, as CI installs it (.ci/run). Outside CI the
 * browser tests skip when it is absent; in CI a missing browser is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.ASL_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

export type ChromiumStatus =
  { run: true } | { run: false; skip: string } | { run: false; fail: string };

export function chromiumStatus(env: NodeJS.ProcessEnv = process.env): ChromiumStatus {
  if (existsSync(CHROMIUM_PATH)) return { run: true };
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') {
    return {
      run: false,
      fail: `CI is set but there is no Chromium at ${CHROMIUM_PATH}; .ci/run installs Debian's chromium package`
    };
  }
  return {
    run: false,
    skip: `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package, or set ASL_CHROMIUM_PATH)`
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile (--user-data-dir in a new temporary folder). */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'asl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'America/Chicago'
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  };
}
