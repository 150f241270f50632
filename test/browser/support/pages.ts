/**
 * Opening a console page in Chromium and checking it the way a person would: it rendered,
 * shows no error banner and threw nothing; a screenshot of it is kept under
 * artifacts/screenshots/ as a test artifact.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../artifacts/screenshots');

export interface ConsolePage {
  page: Page;
  /** Uncaught errors and console errors the page produced so far. */
  problems: string[];
  /** Saves artifacts/screenshots/<name>.png (the whole page). */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openConsole(context: BrowserContext, url: string): Promise<ConsolePage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) =>
    problems.push(
      `page error: ${error.message}${process.env.ASL_BROWSER_DEBUG ? `\n${error.stack ?? ''}` : ''}`
    )
  );
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  await page.goto(url);
  return {
    page,
    problems,
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => page.close()
  };
}

/** Texts of every element a locator matches, trimmed. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allInnerTexts()).map((text) => text.trim());
}
