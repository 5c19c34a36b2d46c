// What a lecturer and a learner moving through the course need: chapters with names, a next and a
// previous lesson at the end of each lesson, and PNG exports that carry their caption (the chart's
// title, the lesson, every setting and the seed) under the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openPage, OUT } from './harness.mjs';

const env = useBrowser();

test('the home page names its chapters', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}?page=home&lang=en`);
  await page.waitForSelector('.lesson-card');
  const heads = (await page.locator('.chapter h2').allTextContents()).filter((h) => /^Chapter/.test(h));
  assert.ok(heads.length >= 5, `${heads.length} chapters`);
  for (const h of heads) assert.match(h, /^Chapter \d+ · \S/, `"${h}" has a name`);
  await page.screenshot({ path: join(OUT, 'home-chapters.png') });
  await context.close();
});

test('a lesson links to the next and previous lessons, in the learner\'s language', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en`,
    { viewport: { width: 1440, height: 900 } });
  const next = page.locator('[data-testid=lesson-next]');
  const prev = page.locator('[data-testid=lesson-prev]');
  assert.match(await next.textContent(), /^Next · Chapter \d+ · /);
  assert.match(await prev.textContent(), /^Previous · Chapter \d+ · /);
  const href = await next.getAttribute('href');
  assert.match(href, /lang=en/);
  await next.scrollIntoViewIfNeeded();
  await page.locator('.lesson-nav').screenshot({ path: join(OUT, 'lesson-nav.png') });
  await next.click();
  await page.waitForFunction((h) => location.search.includes(new URLSearchParams(h).get('lesson')), href);
  await page.waitForSelector('[data-testid=clock]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a chart\'s PNG carries the lesson, its settings and the seed under the chart', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&seed=7&p.workers=3`,
    { viewport: { width: 1440, height: 900 } });
  await page.waitForSelector('[data-testid=preview-note]', { timeout: 60_000 });
  const canvasHeight = await page.$eval('[data-chart=queue_depth] canvas', (c) => c.height);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-chart=queue_depth] [data-download=png]'),
  ]);
  const file = join(OUT, 'export-queue-depth.png');
  await download.saveAs(file);
  const png = readFileSync(file);
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
  const height = png.readUInt32BE(20);
  assert.ok(height >= canvasHeight + 50, `the PNG (${height} px) is taller than the chart (${canvasHeight} px) by its caption`);
  assert.match(download.suggestedFilename(), /worker-pool-seed7-queue_depth\.png/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the embed snippet reproduces the lesson at its current settings, with the options a lecturer picks', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&seed=7&p.workers=3`,
    { viewport: { width: 1440, height: 900 } });
  await page.click('.controls .more > summary');
  await page.click('[data-testid=embed-snippet] > summary');
  const code = await page.inputValue('[data-testid=embed-code]');
  assert.match(code, /<iframe id="gmplab" src="[^"]*embed=1&amp;fixed=1"/);
  assert.match(code, /p\.workers=3/);
  assert.match(code, /seed=7/);
  assert.match(code, /type === 'resize'/, 'the auto-height script is included');
  await page.locator('.more-menu').screenshot({ path: join(OUT, 'embed-snippet.png') });
  await page.click('[data-option=autoplay]');
  assert.match(await page.inputValue('[data-testid=embed-code]'), /fixed=1&amp;autoplay=1/);

  // The snippet's address opens the embedded lesson with those settings, read-only.
  const src = code.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const embedded = await openPage(env.browser, src, { viewport: { width: 720, height: 800 } });
  assert.match(await embedded.page.textContent('[data-testid=fixed-params] summary'), /Workers: 3/);
  assert.equal(await embedded.page.locator('.param').count(), 0);
  await embedded.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});
