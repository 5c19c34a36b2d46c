// The home page in headless Chromium: lessons grouped by chapter with their progress, and the way
// into the Go playground.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launch, OUT } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('the home page lists the lessons, remembers visits, and leads to the playground', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}?page=home`);
  await page.waitForSelector('[data-testid=home]');
  const card = page.locator('[data-testid=lesson-worker-pool]');
  assert.equal(await card.count(), 1);
  await page.screenshot({ path: join(OUT, 'home.png'), fullPage: true });

  await card.click();
  await page.waitForSelector('[data-testid=clock]');
  await page.goto(`${server.url}?page=home`);
  await page.waitForSelector('[data-testid=home]');
  const chips = await page.locator('.lesson-card .chip.done').count();
  assert.ok(chips >= 1, 'the visited lesson is marked');

  await page.click('[data-testid=open-playground]');
  await page.waitForSelector('[data-testid=gmp-board]');
  assert.deepEqual(errors, []);
  await context.close();
});
