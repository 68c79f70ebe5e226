// Headless Debian Chromium driven by playwright-core (no browser download: the system binary).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const screenshotDir = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');

/** True when the system Chromium is installed. */
export const chromiumAvailable = () => existsSync(CHROMIUM);

/** Launches headless Chromium with flags that keep it off the network and quiet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Saves a full-page screenshot to test-artifacts/screenshots/<name>.png (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
