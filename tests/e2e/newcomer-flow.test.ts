// The newcomer path through the UI alone (issue 12): sign in with the admin token Kiln names, connect a plain git
// server and a registry in Organization settings (Test connection on both), create a service, detect a monorepo
// (its sub-projects preselected), save, receive a signed push, and read the pushed digests on the build page the
// commit status links to. Every screen is screenshotted at 1366×900 and 390×844 and must not scroll sideways.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToolsAvailable } from '../support/busybox-image';
import { githubHeaders, githubPush } from '../support/webhook-payloads';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser';
import { buildUi, startKilnStack } from './support/kiln-stack';
import type { KilnStack } from './support/kiln-stack';

const ready = chromiumAvailable() && (await buildToolsAvailable());
const BUILD_TIMEOUT = 240_000;
const desktop = { width: 1366, height: 900 };
const phone = { width: 390, height: 844 };

/** Screenshots the page at both sizes and fails when either scrolls sideways. */
async function shoot(page: Page, name: string, overflows: string[]) {
  for (const [label, size] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
      const width = window.innerWidth;
      const wide = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: wide };
    });
    if (scrollWidth > innerWidth) overflows.push(`${name} (${label}): ${scrollWidth}px > ${innerWidth}px: ${culprits}`);
    await screenshot(page, `newcomer-${name}-${label}`);
  }
  await page.setViewportSize(desktop);
}

describe.runIf(ready)('The newcomer path, through the UI alone', () => {
  let stack: KilnStack;
  let browser: Browser;

  beforeAll(async () => {
    await buildUi();
    [stack, browser] = await Promise.all([startKilnStack(), launchChromium()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('gets from sign-in to a pushed monorepo image with its digests on the build page', async () => {
    const { git, registry } = stack;
    const repo = await git.createRepository('team/newcomer', {
      'web/Dockerfile': 'FROM scratch\nCOPY index.html /index.html\n',
      'web/index.html': '<h1>web</h1>\n',
      'api/Dockerfile': 'FROM scratch\nCOPY app.txt /app.txt\n',
      'api/app.txt': 'api\n',
    });
    const overflows: string[] = [];
    const context = await browser.newContext({ viewport: desktop });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // The sign-in page names the file Kiln wrote the admin token to.
    await page.goto(stack.url);
    await page.getByText(`${stack.dataDir}/admin-token`).waitFor();
    await shoot(page, '01-sign-in', overflows);
    await page.getByLabel('API token').fill(stack.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Services' }).waitFor();

    // Organization settings: a plain git server, tested with a clone, then added.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const gitForm = page.getByRole('form', { name: 'Add a Git connection' });
    await gitForm.getByLabel('Git server').selectOption('plain');
    await gitForm.getByLabel('Address').fill(git.baseUrl);
    await gitForm.getByLabel('Access token').fill(stack.gitToken);
    await gitForm.getByLabel('Repository to test with').fill(repo.url);
    await gitForm.getByRole('button', { name: 'Test connection' }).click();
    await gitForm.getByRole('status', { name: 'Git connection test: works' }).waitFor({ timeout: 30_000 });
    await shoot(page, '02-git-connection-tested', overflows);
    await gitForm.getByRole('button', { name: 'Add connection' }).click();
    await page.getByRole('listitem', { name: `Plain git server ${git.baseUrl}` }).waitFor();

    // A registry: a wrong password is refused in the registry's words, the right one accepted, then added.
    await page.getByRole('link', { name: 'Registries' }).click();
    await page.getByText(/No registry yet/).waitFor();
    const regForm = page.getByRole('form', { name: 'Add a registry' });
    await regForm.getByLabel('Name', { exact: true }).fill('local');
    await regForm.getByLabel('Address').fill(registry.host);
    await regForm.getByLabel('Project').fill('newcomer');
    await regForm.getByLabel('Username').fill('kiln');
    await regForm.getByLabel('Password or token').fill('not-the-password');
    await regForm.getByLabel(/Plain HTTP/).check();
    await regForm.getByRole('button', { name: 'Test connection' }).click();
    await regForm
      .getByRole('alert')
      .getByText(/refused the login/)
      .waitFor({ timeout: 30_000 });
    await regForm.getByLabel('Password or token').fill('registry-pass');
    await regForm.getByRole('button', { name: 'Test connection' }).click();
    await regForm.getByRole('status', { name: 'Registry test: works' }).waitFor({ timeout: 30_000 });
    await shoot(page, '03-registry-tested', overflows);
    await regForm.getByRole('button', { name: 'Add registry' }).click();
    await page.getByRole('listitem', { name: 'Registry local' }).waitFor();

    // A service on that repository.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click();
    await page
      .getByRole('link', { name: /New service/ })
      .first()
      .click();
    const form = page.getByRole('dialog', { name: 'New service' });
    await form.getByLabel('Name', { exact: true }).fill('newcomer');
    await form.getByLabel('Git provider').selectOption('github');
    await form.getByLabel('Repository URL').fill(repo.url);
    await form.getByLabel('Registry', { exact: true }).selectOption({ label: `local (${registry.host}/newcomer)` });
    await shoot(page, '04-new-service', overflows);
    await form.getByRole('button', { name: 'Create service' }).click();
    await page.waitForURL(/#\/services\/[0-9a-f-]{36}$/);

    // Auto CI: detect the monorepo; both sub-projects come preselected; enable and save.
    await page.getByRole('button', { name: 'Auto CI for newcomer' }).click();
    const modal = page.getByRole('dialog', { name: 'Auto CI — newcomer' });
    await modal.getByRole('switch', { name: 'Enable Auto CI' }).check();
    await modal.getByRole('tab', { name: 'Detect Services' }).click();
    await modal.getByRole('button', { name: 'Detect Services' }).click();
    await modal.getByText('Mono-repo').waitFor({ timeout: 60_000 });
    const table = modal.getByRole('table');
    expect(await table.getByRole('checkbox', { name: 'Build web' }).isChecked()).toBe(true);
    expect(await table.getByRole('checkbox', { name: 'Build api' }).isChecked()).toBe(true);
    await shoot(page, '05-detected-monorepo', overflows);
    await modal.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Auto CI settings have been saved').waitFor();
    await modal.getByRole('tab', { name: 'Webhook' }).click();
    await modal.getByRole('button', { name: 'Copy URL' }).first().click();
    const webhookUrl = await page.evaluate(() => navigator.clipboard.readText());
    await modal.getByRole('button', { name: 'Copy Token' }).click();
    const secret = await page.evaluate(() => navigator.clipboard.readText());
    await modal.getByRole('button', { name: 'Close dialog' }).click();

    // The signed push the git server would send.
    const body = JSON.stringify(githubPush('team/newcomer', { after: repo.sha, message: 'First push' }));
    const delivery = await fetch(webhookUrl, { method: 'POST', headers: githubHeaders('push', body, secret), body });
    expect(delivery.status).toBe(200);
    const { buildId } = (await delivery.json()) as { buildId?: string; builds?: { id: string }[] };
    const row = page.locator('li.build-row', { hasText: 'First push' });
    await page
      .locator('li.build-row[data-status="Succeeded"]', { hasText: 'First push' })
      .waitFor({ timeout: BUILD_TIMEOUT });
    await shoot(page, '06-builds', overflows);

    // The build page the commit status links to: every image with the digest the registry holds.
    await row.getByRole('button', { name: /Show log of First push/ }).click();
    await row.getByRole('link', { name: 'Open the build page' }).click();
    await page.waitForURL(/#\/builds\/[0-9a-f-]{36}$/);
    expect(buildId === undefined || page.url().endsWith(buildId)).toBe(true);
    const images = page.getByRole('table', { name: 'Pushed images' });
    await images.waitFor();
    const cells = await images.locator('tbody tr').allTextContents();
    expect(cells.some((text) => text.includes('newcomer/web') || text.includes('/web:'))).toBe(true);
    expect(cells.some((text) => text.includes('/api:') || text.includes('newcomer/api'))).toBe(true);
    const digests = await images.locator('code', { hasText: /^sha256:[0-9a-f]{64}$/ }).allTextContents();
    expect(digests.length).toBeGreaterThanOrEqual(2);
    const webRef = (await images.locator('code', { hasText: /web:/ }).first().textContent())!;
    const [repository, tag] = webRef.replace(`${registry.host}/`, '').split(':') as [string, string];
    const manifest = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        authorization: `Basic ${Buffer.from('kiln:registry-pass').toString('base64')}`,
        accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    expect(digests).toContain(manifest.headers.get('docker-content-digest'));
    await page.getByRole('button', { name: 'Show its event history' }).click();
    await page
      .getByRole('table', { name: 'Workflow event history' })
      .getByText('WorkflowExecutionStarted', { exact: true })
      .waitFor();
    await shoot(page, '07-build-page', overflows);

    // Recent deliveries and settings on a phone too.
    await page.goto(page.url().replace(/#\/builds\/.*/, '#/services'));
    await page.getByRole('article', { name: 'newcomer' }).getByRole('link', { name: 'newcomer' }).click();
    await page.getByRole('link', { name: 'Recent deliveries' }).click();
    await page.getByRole('row', { name: /push/ }).first().waitFor();
    await shoot(page, '08-deliveries', overflows);
    await page.goto(`${stack.url}/#/settings/git`);
    await page.getByRole('listitem', { name: `Plain git server ${git.baseUrl}` }).waitFor();
    await shoot(page, '09-settings', overflows);

    expect(overflows).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
