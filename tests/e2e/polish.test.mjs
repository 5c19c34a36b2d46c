// The lesson page as a newcomer meets it on a laptop, a tablet and a phone: the control bar is one
// row that leaves the screen to the lesson, the simulation is not buried under the lesson text on a
// phone, chart legends sit under the charts (never over the data), buttons look like the app's
// buttons, and targets and answers use the learner's words, not internal names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, OUT } from './harness.mjs';

const env = useBrowser();

const SIZES = [
  { width: 390, height: 844, barShare: 0.15 },
  { width: 720, height: 900, barShare: 0.15 },
  { width: 1440, height: 900, barShare: 0.12 },
];

for (const size of SIZES) {
  test(`worker pool at ${size.width}×${size.height}: a one-row control bar and the simulation near the top`, async () => {
    const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&seed=1`,
      { viewport: { width: size.width, height: size.height } });
    await page.waitForSelector('[data-testid=preview-note]', { timeout: 60_000 });
    const m = await page.evaluate(() => {
      const r = (sel) => document.querySelector(sel).getBoundingClientRect();
      const controls = r('.controls');
      const row = r('.control-row');
      // The bar itself, not what its closed overflow menu holds.
      const buttons = [...document.querySelectorAll('.control-row .btn')]
        .filter((b) => b.offsetParent !== null && !b.closest('.more-menu'));
      return {
        bar: controls.height,
        rowSpan: Math.max(...buttons.map((b) => b.getBoundingClientRect().bottom)) -
          Math.min(...buttons.map((b) => b.getBoundingClientRect().top)),
        buttonHeight: Math.max(...buttons.map((b) => b.getBoundingClientRect().height)),
        rowHeight: row.height,
        stageTop: r('[data-region=stage]').top + window.scrollY,
        overflowX: document.documentElement.scrollWidth - window.innerWidth,
        narrationEmptyHeight: (() => {
          const n = document.querySelector('.narration');
          return n.textContent.trim() === '' ? n.getBoundingClientRect().height : 0;
        })(),
      };
    });
    await page.screenshot({ path: join(OUT, `polish-lesson-${size.width}.png`) });
    assert.ok(m.bar <= size.height * size.barShare, `the control bar is ${m.bar} px of ${size.height}`);
    assert.ok(m.rowSpan < 1.5 * m.buttonHeight, `the bar's buttons sit on one row (they span ${m.rowSpan} px)`);
    assert.ok(m.stageTop <= size.height * 1.2, `the simulation starts ${Math.round(m.stageTop)} px down the page`);
    assert.ok(m.overflowX <= 0, `nothing is wider than the screen (${m.overflowX} px over)`);
    assert.equal(m.narrationEmptyHeight, 0, 'an empty narration takes no room');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('legends are under the charts, buttons are the app\'s, and targets use the learner\'s words', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&seed=1`,
    { viewport: { width: 1440, height: 900 } });
  await page.waitForSelector('[data-chart=throughput] [data-testid=legend]', { timeout: 60_000 });
  const legend = await page.locator('[data-chart=throughput] [data-testid=legend] li').allTextContents();
  assert.deepEqual(legend, ['completed', 'dropped']);
  const plain = await page.$$eval('.quiz button, .tour button', (bs) => bs.filter((b) => !b.classList.contains('btn')).length);
  assert.equal(plain, 0, 'every question, challenge and tour button is styled');
  const targets = await page.locator('.targets li').allTextContents();
  assert.ok(targets.length > 0);
  for (const t of targets) assert.doesNotMatch(t, /_[a-z]|\b[a-z]+_[a-z]+\b/, `target "${t}" uses no internal name`);

  // A prediction is marked while its runs go, and right and wrong are told in words.
  const q = await page.$eval('[data-question]', (el) => el.dataset.question);
  await page.click(`[data-testid=q-${q}-0]`);
  assert.equal(await page.getAttribute(`[data-testid=q-${q}-0]`, 'aria-pressed'), 'true', 'the chosen answer is marked at once');
  await page.locator(`[data-testid=q-${q}-verdict]`).waitFor({ timeout: 90_000 });
  const marks = await page.locator(`[data-question=${q}] .mark`).allTextContents();
  assert.ok(marks.some((t) => /the answer/.test(t)), `the right choice says so: ${marks.join(' | ')}`);
  await page.locator('[data-region=questions]').screenshot({ path: join(OUT, 'polish-questions.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
