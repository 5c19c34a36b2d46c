// A lesson shows something before Play and plays long enough to watch: the charts preview the whole
// run at the current settings (and follow a setting changed before Play), and a 5 ms Go program
// opens at a speed that makes its run last many frames instead of ending in one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, clock, canvasHash, OUT } from './harness.mjs';

const env = useBrowser();

const SIZES = [
  { width: 390, height: 844 },
  { width: 720, height: 900 },
  { width: 1440, height: 900 },
];

for (const size of SIZES) {
  test(`worker pool at ${size.width}×${size.height}: the charts preview the run before Play, and follow a change`, async () => {
    const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&seed=1`,
      { viewport: size });
    await page.waitForSelector('[data-testid=preview-note]', { timeout: 60_000 });
    const points = await page.$eval('[data-chart=queue_depth]', (el) => Number(el.dataset.points));
    assert.ok(points > 100, `the queue chart previews the run with ${points} points`);
    assert.equal((await clock(page)).step, 0, 'nothing was played');
    const before = await canvasHash(page, 'queue_depth');
    await page.locator('[data-chart=queue_depth]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, `first-run-preview-${size.width}.png`) });

    // A change before Play: the preview goes, then comes back for the new settings.
    const input = page.locator('[data-param-input=arrival_rate]');
    await input.fill('1100');
    await input.press('Enter');
    await page.waitForFunction(() => location.search.includes('arrival_rate=1100'));
    await page.waitForSelector('[data-testid=preview-note]', { timeout: 60_000 });
    assert.notEqual(await canvasHash(page, 'queue_depth'), before, 'the preview redrew for the new arrival rate');
    assert.equal((await clock(page)).step, 0);

    // Play replaces the preview with the live run.
    await page.click('[data-action=play]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').dataset.step) > 0);
    assert.equal(await page.locator('[data-testid=preview-note]').count(), 0, 'playing shows the live run');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a 5 ms Go lesson opens slowed down, so Play lasts many frames', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=gmp-scheduler&lang=en`,
    { viewport: { width: 1440, height: 900 } });
  const speed = await page.getAttribute('.speed input', 'aria-valuetext');
  assert.match(speed, /^0\.00\d+×$/, `opens at ${speed}`);
  await page.click('[data-action=play]');
  // Frames are counted inside the page; each one records the step it shows.
  const seen = await page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    const steps = new Set();
    const tick = () => {
      frames += 1;
      const c = document.querySelector('[data-testid=clock]').dataset;
      steps.add(c.step);
      if (c.finished === 'true' || frames > 100_000) resolve({ frames, steps: steps.size });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }));
  assert.ok(seen.frames >= 30, `the run played over ${seen.frames} frames`);
  assert.ok(seen.steps >= 5, `the learner saw ${seen.steps} different moments of it, not one jump to the end`);
  await page.screenshot({ path: join(OUT, 'first-run-gmp-scheduler-played.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
