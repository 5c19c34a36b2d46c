// An embedded lesson as a course page's iframe shows it, from a phone to a desktop column: the first
// screen holds a drawn chart (at least half of it) under a control bar that covers at most a third of
// the frame, nothing is wider than the frame, there is no tour, and a course's fixed settings are
// listed read-only under a title that is true for them. The frame also reports its height, and the
// sample course page sizes an iframe by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, OUT } from './harness.mjs';

const env = useBrowser();

const SIZES = [
  { width: 320, height: 700 },
  { width: 390, height: 844 },
  { width: 720, height: 900 },
  { width: 1000, height: 760 },
  { width: 1440, height: 900 },
];
const LESSONS = [
  { id: 'worker-pool', query: '&fixed=1&p.policy=block&p.workers=2' },
  { id: 'gmp-scheduler', query: '' },
  { id: 'flash-sale-v1', query: '' },
];

/** What the first screen shows, measured inside the page with the page scrolled to the top. */
function firstScreen() {
  window.scrollTo(0, 0);
  const vh = window.innerHeight;
  const visible = (r) => Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
  const charts = [...document.querySelectorAll('[data-chart]')]
    .filter((el) => Number(el.dataset.points) > 0)
    .map((el) => el.querySelector('canvas').getBoundingClientRect())
    .map((r) => ({ top: Math.round(r.top), share: r.height > 0 ? visible(r) / r.height : 0 }));
  const pinned = [...document.querySelectorAll('body *')]
    .filter((el) => ['fixed', 'sticky'].includes(getComputedStyle(el).position));
  // A bar inside another bar is counted once, as part of the outer one.
  const bars = pinned
    .filter((el) => !pinned.some((o) => o !== el && o.contains(el)))
    .map((el) => visible(el.getBoundingClientRect()));
  return {
    vh,
    bestChart: charts.reduce((a, c) => (c.share > a.share ? c : a), { share: 0, top: -1 }),
    barsPx: bars.reduce((a, b) => a + b, 0),
    overflowX: document.documentElement.scrollWidth - window.innerWidth,
    tour: document.querySelectorAll('[data-testid=tour-say]').length,
  };
}

for (const lesson of LESSONS) {
  for (const size of SIZES) {
    test(`embedded ${lesson.id} at ${size.width}×${size.height}: a drawn chart in the first screen`, async () => {
      const { page, errors, context } = await openPage(
        env.browser, `${env.server.url}?lesson=${lesson.id}&lang=en&embed=1${lesson.query}`, { viewport: size });
      await page.keyboard.press('e');
      await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.finished === 'true',
        null, { timeout: 120_000 });
      // Charts redraw on the frame after the run ends; wait for one with points.
      await page.waitForSelector('[data-chart]:not([data-points="0"])');
      const m = await page.evaluate(firstScreen);
      await page.screenshot({ path: join(OUT, `embed-${lesson.id}-${size.width}x${size.height}.png`) });
      assert.ok(m.bestChart.share >= 0.5,
        `a drawn chart is at least half inside the first ${m.vh} px (best: ${(m.bestChart.share * 100).toFixed(0)} % at y=${m.bestChart.top})`);
      assert.ok(m.barsPx <= m.vh / 3, `fixed and sticky bars cover ${m.barsPx} px of ${m.vh}`);
      assert.ok(m.overflowX <= 0, `the page is ${m.overflowX} px wider than the frame`);
      assert.equal(m.tour, 0, 'no tour in an embed');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}

test('a fixed embed lists the course\'s settings read-only, under a title true for them', async () => {
  const { page, errors, context } = await openPage(
    env.browser, `${env.server.url}?lesson=worker-pool&lang=en&embed=1&fixed=1&p.policy=block&p.workers=2`,
    { viewport: { width: 390, height: 844 } });
  assert.equal(await page.locator('.param').count(), 0, 'no sliders');
  const title = await page.textContent('[data-testid=embed-title]');
  assert.doesNotMatch(title, /drops/i, `the title "${title}" does not say the pool drops`);
  const line = await page.textContent('[data-testid=fixed-params] summary');
  assert.match(line, /Workers: 2/);
  assert.match(line, /When the buffer is full: /);
  await page.click('[data-testid=fixed-params] summary');
  const all = await page.locator('[data-testid=fixed-params] li').allTextContents();
  assert.ok(all.some((s) => /^Arrival rate: 800 tasks\/s$/.test(s)), `every setting is listed: ${all.join(' | ')}`);
  await page.screenshot({ path: join(OUT, 'embed-fixed-settings-390.png') });

  // With the defaults, the lesson's full title stays.
  const plain = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&embed=1`,
    { viewport: { width: 390, height: 844 } });
  assert.match(await plain.page.textContent('[data-testid=embed-title]'), /drops when full/);
  await plain.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the course page sizes an auto-height frame to the height the lesson reports', async () => {
  const context = await env.browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}course.html`);
  const frame = page.frameLocator('#lesson-auto');
  await frame.locator('[data-testid=clock]').waitFor({ timeout: 30_000 });
  const sized = () => page.evaluate(() => {
    const f = document.getElementById('lesson-auto');
    const body = f.contentDocument.body.getBoundingClientRect().height;
    return { frame: f.getBoundingClientRect().height, body, inner: f.contentWindow.innerHeight };
  });
  // The lesson reports after every render; the page applies it on the next message.
  await page.waitForFunction(() => {
    const f = document.getElementById('lesson-auto');
    return Math.abs(f.contentWindow.innerHeight - Math.ceil(f.contentDocument.body.getBoundingClientRect().height)) <= 1;
  }, null, { timeout: 10_000 });
  const s = await sized();
  assert.ok(s.inner > 900, `the frame grew past the course page's default height (${s.inner} px)`);
  assert.ok(Math.abs(s.inner - Math.ceil(s.body)) <= 1, `frame ${s.inner} px, content ${s.body} px`);
  await page.locator('#lesson-auto').screenshot({ path: join(OUT, 'course-auto-height.png') });
  await context.close();
});
