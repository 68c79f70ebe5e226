// End to end through the UI: the real Kiln server on its embedded defaults, a real git server and registry,
// headless Chromium. Create a service, enable Auto CI, copy the webhook URL, send a signed push, watch the
// build succeed with its log streaming, search the log, cancel a second build.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToolsAvailable, ensureBusyboxImage } from '../support/busybox-image';
import { githubHeaders, githubPush } from '../support/webhook-payloads';
import { chromiumAvailable, launchChromium, screenshot } from './support/browser';
import { buildUi, startKilnStack } from './support/kiln-stack';
import type { KilnStack } from './support/kiln-stack';

const ready = chromiumAvailable() && (await buildToolsAvailable());
const BUILD_TIMEOUT = 180_000;

describe.runIf(ready)('Kiln UI end to end', () => {
  let stack: KilnStack;
  let browser: Browser;
  let baseImageRoot: string;
  let registryId: string;

  beforeAll(async () => {
    await buildUi();
    [stack, browser] = await Promise.all([startKilnStack(), launchChromium()]);
    baseImageRoot = await mkdtemp(path.join(os.tmpdir(), 'kiln-e2e-base-'));
    // The organization's GitHub connection (a token for the local git server) and a registry, as an admin sets them up.
    await stack.api('POST', '/git-providers', {
      kind: 'github',
      baseUrl: stack.git.baseUrl,
      token: stack.gitToken,
      verify: false,
    });
    registryId = (
      await stack.api<{ id: string }>('POST', '/registries', {
        name: 'local',
        kind: 'oci',
        url: stack.registry.host,
        project: 'e2e',
        username: 'kiln',
        password: 'registry-pass',
        insecure: true,
      })
    ).id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (baseImageRoot) await rm(baseImageRoot, { recursive: true, force: true });
  }, 60_000);

  it('creates a service, enables Auto CI, builds from a signed push, streams and searches the log, cancels a build', async () => {
    const { registry, git } = stack;
    const repo = await git.createRepository('team/shop', {
      Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n',
      'hello.txt': 'hello from kiln\n',
    });

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
    });

    // Sign in with the admin token Kiln wrote on first start.
    await page.goto(stack.url);
    await page.getByLabel('API token').fill(stack.adminToken);
    await screenshot(page, '01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Services' }).waitFor();

    // Create the service.
    await page
      .getByRole('link', { name: /New service/ })
      .first()
      .click();
    const form = page.getByRole('dialog', { name: 'New service' });
    await form.getByLabel('Name', { exact: true }).fill('shop');
    await form.getByLabel('Git provider').selectOption('github');
    await form.getByLabel('Repository URL').fill(repo.url);
    await form.getByLabel('Registry', { exact: true }).selectOption({ label: `local (${registry.host}/e2e)` });
    await screenshot(page, '02-new-service');
    await form.getByRole('button', { name: 'Create service' }).click();
    await page.waitForURL(/#\/services\/[0-9a-f-]{36}$/);

    // The card shows the pipeline and an enabled Auto CI button.
    await page.getByRole('link', { name: 'Services', exact: true }).first().click();
    const card = page.getByRole('article', { name: 'shop' });
    await card.getByRole('button', { name: 'Source: Connected' }).waitFor();
    await screenshot(page, '03-services');
    await card.getByRole('button', { name: 'Auto CI for shop' }).click();

    // Enable Auto CI and save.
    const modal = page.getByRole('dialog', { name: 'Auto CI — shop' });
    await modal.getByRole('switch', { name: 'Enable Auto CI' }).check();
    await modal.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Auto CI settings have been saved').waitFor();
    await screenshot(page, '04-auto-ci-settings');

    // Copy the webhook URL and token from the Webhook tab.
    await modal.getByRole('tab', { name: 'Webhook' }).click();
    await modal.getByRole('button', { name: 'Copy URL' }).first().click();
    const webhookUrl = await clipboard(page);
    expect(webhookUrl).toBe(`${stack.url}/api/v1/webhook/github`);
    await modal.getByRole('button', { name: 'Copy Token' }).click();
    const secret = await clipboard(page);
    expect(secret.length).toBeGreaterThan(16);
    await screenshot(page, '05-webhook');
    await modal.getByRole('button', { name: 'Close dialog' }).click();

    // A signed GitHub push to the copied URL starts a build.
    const body = JSON.stringify(githubPush('team/shop', { after: repo.sha, message: 'Add hello page' }));
    const delivery = await fetch(webhookUrl, { method: 'POST', headers: githubHeaders('push', body, secret), body });
    expect(delivery.status).toBe(200);

    // Watch it in the UI: expand while it runs, log lines stream in, it ends Succeeded.
    await card.getByRole('link', { name: 'shop' }).click();
    const row = page.locator('li.build-row', { hasText: 'Add hello page' });
    await row.getByRole('button', { name: /Show log of Add hello page/ }).click();
    await row.locator('.log-line').first().waitFor({ timeout: BUILD_TIMEOUT });
    await page
      .locator('li.build-row[data-status="Succeeded"]', { hasText: 'Add hello page' })
      .waitFor({ timeout: BUILD_TIMEOUT });
    await expectText(row, 'Triggered by Webhook (push)');
    await expectText(row, '100%');

    // Search the log.
    const total = await row.locator('.log-line').count();
    expect(total).toBeGreaterThan(0);
    await row.getByRole('searchbox').fill('hello.txt');
    await row.getByText(/^\d+ of [\d,]+ lines$/).waitFor();
    const matching = await row.locator('.log-line .log-text').allTextContents();
    expect(matching.length).toBeGreaterThan(0);
    for (const text of matching) expect(text.toLowerCase()).toContain('hello.txt');
    await screenshot(page, '06-build-succeeded-log');
    await row.getByRole('searchbox').fill('');

    // A second, slow build: trigger it from the UI and cancel it while it builds.
    const base = await ensureBusyboxImage({ storageRoot: baseImageRoot, registry: registry.auth });
    await git.commit('team/shop', { Dockerfile: `FROM ${base}\nRUN echo slow step && sleep 120\n` }, 'Slow build');
    await page.getByRole('button', { name: 'Trigger Build' }).click();
    const trigger = page.getByRole('dialog', { name: 'Trigger build' });
    expect(await trigger.getByLabel('Branch').inputValue()).toBe('main');
    await trigger.getByRole('button', { name: 'Start build' }).click();
    const slow = page.locator('li.build-row').first();
    await page.locator('li.build-row[data-status="Building"]').first().waitFor({ timeout: 60_000 });
    await slow.locator('.log-line', { hasText: 'slow step' }).first().waitFor({ timeout: BUILD_TIMEOUT });
    await screenshot(page, '07a-build-running');
    await slow.getByRole('button', { name: /^Cancel / }).click();
    await page.locator('li.build-row[data-status="Cancelled"]').first().waitFor({ timeout: 90_000 });
    await slow.getByRole('button', { name: /^Retry / }).waitFor();
    await screenshot(page, '07b-build-cancelled');

    // Recent deliveries lists the push with its build.
    await page.getByRole('link', { name: 'Recent deliveries' }).click();
    const deliveryRow = page.getByRole('row', { name: /push/ }).first();
    await expectText(deliveryRow, '200');
    await screenshot(page, '08-deliveries');

    // A phone-sized screen still shows the service card and its pipeline.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Services', exact: true }).first().click();
    await page.getByRole('article', { name: 'shop' }).getByRole('button', { name: 'Build: Cancelled' }).waitFor();
    await screenshot(page, '09-services-phone');
    await page.getByRole('article', { name: 'shop' }).getByRole('link', { name: 'shop' }).click();
    await page.locator('li.build-row').first().waitFor();
    await screenshot(page, '10-builds-phone');

    const builds = await stack.api<{ items: { status: string; commitMessage: string | null }[] }>(
      'GET',
      `/builds?serviceId=${page.url().match(/services\/([0-9a-f-]{36})/)![1]}`,
    );
    expect(builds.items.map((b) => b.status).sort()).toEqual(['Cancelled', 'Succeeded']);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 480_000);

  it('detects a monorepo in the Auto CI modal, builds its selected sub-projects and shows each one', async () => {
    const { git } = stack;
    const repo = await git.createRepository('team/mono', {
      'web/Dockerfile': 'FROM scratch\nCOPY index.html /index.html\n',
      'web/index.html': '<h1>web</h1>\n',
      'api/Dockerfile': 'FROM scratch\nCOPY app.txt /app.txt\n',
      'api/app.txt': 'api\n',
    });
    const service = await stack.api<{ id: string }>('POST', '/services', {
      name: 'mono',
      gitProvider: 'github',
      repoUrl: repo.url,
      registryId,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByLabel('API token').fill(stack.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Services' }).waitFor();

    // Detect Services finds both sub-projects; pick them, set a prefix, save, trigger a build.
    await page.goto(`${stack.url}/#/services/${service.id}`);
    await page.getByRole('button', { name: 'Auto CI for mono' }).click();
    const modal = page.getByRole('dialog', { name: 'Auto CI — mono' });
    await modal.getByLabel('Image prefix (monorepos)').fill('mono-');
    await modal.getByRole('tab', { name: 'Detect Services' }).click();
    await modal.getByRole('button', { name: 'Detect Services' }).click();
    await modal.getByText('Mono-repo').waitFor({ timeout: 60_000 });
    const table = modal.getByRole('table');
    await table.getByRole('checkbox', { name: 'Build web' }).check();
    await table.getByRole('checkbox', { name: 'Build api' }).check();
    expect(await table.getByLabel('Dockerfile path of web').inputValue()).toBe('web/Dockerfile');
    await table.getByText('mono-web').waitFor();
    await screenshot(page, '10b-detect-services');
    await modal.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Auto CI settings have been saved').waitFor();
    await modal.getByRole('button', { name: 'Close dialog' }).click();
    await page.getByRole('button', { name: 'Trigger Build' }).click();
    await page.getByRole('dialog', { name: 'Trigger build' }).getByRole('button', { name: 'Start build' }).click();
    await page.locator('li.build-row[data-status="Succeeded"]').first().waitFor({ timeout: BUILD_TIMEOUT });
    const subs = page.getByRole('list', { name: 'Sub-project builds' });
    for (const name of ['web', 'api']) {
      await subs.locator('li', { hasText: name }).getByText('Succeeded').waitFor({ timeout: 30_000 });
    }
    await page.locator('li.build-row').first().locator('.build-meta', { hasText: '2 sub-projects' }).waitFor();
    // Each sub-project has its own log, and the card's Operate stage shows the image the children pushed.
    await subs.getByRole('button', { name: 'Show log of sub-project web' }).click();
    await subs.locator('.log-line', { hasText: 'COPY index.html /index.html' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '11-monorepo-build');
    await page.getByRole('link', { name: 'Services', exact: true }).first().click();
    await page
      .getByRole('article', { name: 'mono' })
      .getByRole('button', { name: /^Operate: Image / })
      .waitFor();
    await context.close();
  }, 300_000);
});

function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

async function expectText(locator: ReturnType<Page['locator']>, text: string) {
  await locator.getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });
}
