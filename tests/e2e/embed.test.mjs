// The sample course page: two embedded lessons announce themselves with `ready`, the host's
// commands drive the second one, and its `step` messages come back.
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

test('embedded lessons post ready and obey host commands', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}course.html`);
  await page.waitForFunction(() => document.querySelectorAll('#log li[data-type=ready]').length === 2, null, { timeout: 30_000 });

  const frame = page.frameLocator('#lesson-block');
  await frame.locator('[data-testid=clock]').waitFor();
  assert.equal(await frame.locator('.param').count(), 0, 'fixed=1 hides the parameter panel');
  const before = Number(await frame.locator('[data-testid=clock]').getAttribute('data-step'));
  await page.click('[data-testid=host-step]');
  await page.waitForFunction(
    () => [...document.querySelectorAll('#log li[data-from=lesson-block][data-type=step]')].some((li) => / \(step [1-9]/.test(li.textContent)),
    null, { timeout: 10_000 });
  const after = Number(await frame.locator('[data-testid=clock]').getAttribute('data-step'));
  assert.equal(after, before + 1, 'the host\'s Step command stepped the lesson once');

  // The first lesson autoplays: its step messages arrive without any command from the page.
  await page.waitForFunction(
    () => [...document.querySelectorAll('#log li[data-from=lesson-drop][data-type=step]')].some((li) => / \(step [1-9]/.test(li.textContent)),
    null, { timeout: 10_000 });
  await page.screenshot({ path: join(OUT, 'course-embed.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
