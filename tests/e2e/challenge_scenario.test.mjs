// A challenge is graded on a scenario the learner can load and watch: lesson 1's challenge adds a
// 50 ms CPU hog; "Load the challenge's scenario" puts it on the page (the hog's slider reads 50, the
// seed is the challenge's first), says so, and the run that follows is the one grading makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, clock, OUT } from './harness.mjs';

const env = useBrowser();

test('lesson 1: loading the challenge\'s scenario shows the CPU hog the grading runs with', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=gmp-scheduler&lang=en`,
    { viewport: { width: 1440, height: 900 } });
  assert.equal(await page.inputValue('[data-param-input=hogMs]'), '0', 'the lesson opens without the hog');
  await page.click('[data-testid=challenge-beside-the-hog-load]');
  await page.waitForFunction(() => location.search.includes('hogMs=50'));
  assert.equal(await page.inputValue('[data-param-input=hogMs]'), '50', 'the hog is on the page');
  const notice = await page.locator('.notice').last().textContent();
  assert.match(notice, /Loaded the challenge's scenario \(seed \d+; CPU hog ahead of the tasks: 50 ms\)/);
  assert.equal((await clock(page)).step, 0, 'the scenario starts at its beginning, ready to play');
  await page.locator('[data-region=questions]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'challenge-scenario-loaded.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
