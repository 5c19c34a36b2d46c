// An engine panic, should one remain, in headless Chromium: the page says so in a panel, keeps what
// is on screen, and a reload from the panel brings back the learner's parameters and program. No
// known input makes the engine panic, so the test uses the module's `simulate_engine_panic` hook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launch, openPage, OUT } from './harness.mjs';

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

const panic = (page) =>
  page.evaluate(async () => {
    const m = await import('./pkg/gmplab.js');
    try {
      m.simulate_engine_panic();
    } catch {
      // The panic surfaces in JavaScript as a RuntimeError; the panel is what the learner sees.
    }
  });

const onlyThePanic = (errors) => errors.filter((e) => !/simulated engine panic|RuntimeError|unreachable/.test(e));

test('a lesson: the crash panel appears over the page, and reloading keeps the parameters', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=worker-pool&lang=en&p.workers=7&seed=5`);
  await panic(page);
  await page.waitForSelector('.crash-panel[role=alert]');
  assert.match(await page.textContent('.crash-panel'), /internal error/);
  assert.equal(await page.locator('[data-testid=clock]').count(), 1, 'what was on screen stays');
  assert.match(page.url(), /p\.workers=7/);
  await page.screenshot({ path: join(OUT, 'crash-panel.png') });
  await page.click('.crash-panel [data-reload]');
  await page.waitForSelector('[data-testid=clock]');
  assert.equal(await page.inputValue('input[data-param-input=workers]'), '7');
  assert.equal(await page.locator('.crash-panel').count(), 0);
  assert.deepEqual(onlyThePanic(errors), []);
  await context.close();
});

test('the playground: after a crash and a reload, the learner\'s program is still in the editor', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?page=playground`);
  const src = 'package main\n\nimport "fmt"\n\nfunc kept() { fmt.Println("still here") }\n\nfunc main() { kept() }\n';
  await page.fill('[data-testid=editor]', src);
  await page.click('[data-testid=run]');
  await panic(page);
  await page.waitForSelector('.crash-panel[role=alert]');
  assert.match(await page.inputValue('[data-testid=editor]'), /func kept/, 'the editor keeps the program while the panel shows');
  await page.click('.crash-panel [data-reload]');
  await page.waitForSelector('[data-testid=clock]');
  assert.match(await page.inputValue('[data-testid=editor]'), /func kept/, 'the program survives the crash and the reload');
  assert.deepEqual(onlyThePanic(errors), []);
  await context.close();
});
