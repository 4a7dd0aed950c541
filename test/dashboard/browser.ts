// Debian's chromium driven by playwright-core, as the machine allows it: headless, no sandbox (root),
// and no background networking (the closed network refuses it). `.ci/run` installs chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots for people to look at; git-ignored. */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'dashboard');

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The page as it is, at desktop and at phone width: `<name>.png` and `<name>.phone.png`. The whole
 * page is shot through a viewport as tall as the page, not with `fullPage`: headless chromium leaves
 * out-of-process frames (the sandboxed email body is one) blank below the fold of a full-page shot.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  for (const [viewport, suffix] of [
    [DESKTOP, ''],
    [PHONE, '.phone'],
  ] as const) {
    await page.setViewportSize(viewport);
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    await page.setViewportSize({
      width: viewport.width,
      height: Math.max(viewport.height, height),
    });
    for (const frame of page.frames()) await frame.waitForLoadState('load');
    // Let the layout and the frames paint at the new size before the picture.
    await page.evaluate(
      'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
    );
    await page.screenshot({ path: join(SCREENSHOTS, `${name}${suffix}.png`) });
  }
  await page.setViewportSize(size);
}
