// A learner's work is kept: parameter changes and the seed come back when the lesson is opened again
// from a plain link (the home page's), and a link that carries its own settings wins over them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage } from './harness.mjs';

const env = useBrowser();

const workers = (page) => page.inputValue('input[data-param-input=workers]');

test('parameter changes survive a reload and a plain link, until Defaults', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en`);
  await page.fill('input[data-param-input=workers]', '9');
  await page.press('input[data-param-input=workers]', 'Enter');
  await page.waitForFunction(() => /p\.workers=9/.test(location.search));

  await page.reload();
  await page.waitForSelector('[data-testid=clock]');
  assert.equal(await workers(page), '9', 'a reload keeps it');

  await page.goto(`${env.server.url}?lesson=worker-pool&lang=en`);
  await page.waitForSelector('[data-testid=clock]');
  assert.equal(await workers(page), '9', 'a plain link brings it back');
  assert.match(await page.textContent('.notices'), /Your last settings for this lesson are back/);

  await page.goto(`${env.server.url}?lesson=worker-pool&lang=en&p.workers=3`);
  await page.waitForSelector('[data-testid=clock]');
  assert.equal(await workers(page), '3', "a link's own settings win");

  await page.click('[data-action=defaults]');
  await page.goto(`${env.server.url}?lesson=worker-pool&lang=en`);
  await page.waitForSelector('[data-testid=clock]');
  assert.equal(await workers(page), '4', 'after Defaults, the lesson opens with its own settings');
  assert.equal(await page.locator('.notices').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an embedded lesson shows the course page settings, not the learner\'s', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en`);
  await page.fill('input[data-param-input=workers]', '11');
  await page.press('input[data-param-input=workers]', 'Enter');
  await page.waitForFunction(() => /p\.workers=11/.test(location.search));
  await page.goto(`${env.server.url}?lesson=worker-pool&lang=en&embed=1`);
  await page.waitForSelector('[data-testid=clock]');
  assert.equal(await workers(page), '4');
  assert.deepEqual(errors, []);
  await context.close();
});
