// Every run has a budget: in headless Chromium, a lesson run and a Go program that use theirs up stop
// with a message naming the budget, and "Raise the budget" goes on from where they stopped. A link
// may set a smaller budget (a course page on phones); the tests use that to keep runs short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, OUT } from './harness.mjs';

const env = useBrowser();

const clock = (page) => page.evaluate(() => ({ ...document.querySelector('[data-testid=clock]').dataset }));
const finished = (page) =>
  page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.dataset.finished === 'true', null, {
    timeout: 60_000,
  });

test('a lesson run stops at its event budget, says so, and goes on when the budget is raised', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&budget=5000`);
  await page.click('[data-action=end]');
  await finished(page);
  assert.equal((await clock(page)).step, '5000');
  assert.equal(await page.textContent('[data-testid=clock] .badge.stopped'), 'Stopped', 'stopped, not finished');
  const notice = page.locator('.notice.error');
  assert.match(await notice.textContent(), /Stopped after 5,000 events, this run's event budget/);
  await page.screenshot({ path: join(OUT, 'budget-lesson.png') });

  await page.click('[data-action=raise-budget]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.step === '10000', null, {
    timeout: 60_000,
  });
  assert.match(await notice.textContent(), /10,000 events/, 'raised, it ran on to the doubled budget');
  assert.match(page.url(), /budget=10000/, 'the link keeps the raised budget');

  // Going back below the budget clears the stop; the parameters and charts are still there.
  await page.click('[data-action=reset]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.step === '0');
  assert.equal(await page.locator('.notice.error').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the same in Chinese', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=zh&budget=2000`);
  await page.click('[data-action=end]');
  await finished(page);
  assert.match(await page.locator('.notice.error').textContent(), /事件预算/);
  assert.equal(await page.locator('[data-action=raise-budget]').textContent(), '提高预算');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Go program that never ends stops at the playground step budget, and raising it runs on', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?page=playground&lang=en&budget=3000`);
  const src =
    'package main\n\nfunc main() {\n\tc := make(chan int)\n\tgo func() {\n\t\tfor {\n\t\t\tc <- <-c + 1\n\t\t}\n\t}()\n\tfor {\n\t\tc <- 1\n\t\t<-c\n\t}\n}\n';
  await page.fill('[data-testid=editor]', src);
  await page.click('[data-testid=run]');
  await page.click('[data-testid=to-end]');
  await finished(page);
  assert.equal((await clock(page)).step, '3000');
  assert.match(await page.textContent('[data-testid=stderr]'), /stopped after 3,000 steps .*step budget/);
  await page.screenshot({ path: join(OUT, 'budget-playground.png') });

  await page.click('[data-testid=raise-budget]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.step === '6000', null, {
    timeout: 60_000,
  });
  assert.match(await page.textContent('[data-testid=stderr]'), /6,000 steps/);
  assert.match(await page.inputValue('[data-testid=editor]'), /c <- <-c \+ 1/, 'the program is untouched');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a budget outside its range in a link is refused with a notice', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&budget=5`);
  assert.match(await page.textContent('.notices'), /event budget `5` in the link is not a whole number from 1000/);
  assert.deepEqual(errors, []);
  await context.close();
});
