// The lesson page in a real headless Chromium: play, tune, step back, share, switch language, and
// check that the chart shows exactly the data the CLI computes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openPage, clock, canvasHash, OUT, ROOT } from './harness.mjs';

const GMPLAB = process.env.GMPLAB_BIN ?? join(ROOT, 'target/debug/gmplab');
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

const waitFinished = (page) =>
  page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.dataset.finished === 'true', null, {
    timeout: 60_000,
  });

test('play advances the clock and the charts', async () => {
  const { page, errors, context } = await openPage(browser, server.url);
  const start = await clock(page);
  assert.equal(start.step, 0);
  const before = await canvasHash(page, 'queue_depth');
  await page.click('[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').dataset.step) > 500);
  await page.waitForTimeout(600);
  await page.click('[data-action=play]'); // pause
  const later = await clock(page);
  assert.ok(later.nowNs > start.nowNs, 'virtual time advanced');
  const points = Number(await page.$eval('[data-chart=queue_depth]', (el) => el.dataset.points));
  assert.ok(points > 0, 'the queue chart has data');
  assert.notEqual(await canvasHash(page, 'queue_depth'), before, 'the queue chart was redrawn');
  await page.screenshot({ path: join(OUT, 'worker-pool-playing.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('moving a slider re-runs to the same time, redraws the chart and updates the URL', async () => {
  const { page, errors, context } = await openPage(browser, server.url);
  await page.click('[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').dataset.nowNs) > 3e9);
  await page.click('[data-action=play]');
  const before = await clock(page);
  const chartBefore = await canvasHash(page, 'latency');
  assert.ok(!page.url().includes('p.workers='));

  // Drag the workers slider with the keyboard, as a learner without a mouse would.
  await page.focus('input[type=range][data-param=workers]');
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction((t) => {
    const c = document.querySelector('[data-testid=clock]').dataset;
    return Number(c.nowNs) >= t && !document.querySelector('[role=progressbar]');
  }, before.nowNs);
  const after = await clock(page);
  assert.ok(Math.abs(after.nowNs - before.nowNs) < 1e9, 'the re-run returned to the same moment');
  assert.notEqual(after.hash, before.hash);
  assert.match(page.url(), /p\.workers=\d+/);
  assert.notEqual(await canvasHash(page, 'latency'), chartBefore, 'the latency chart was redrawn');
  const shown = await page.$eval('input[data-param-input=workers]', (el) => el.value);
  assert.ok(page.url().includes(`p.workers=${shown}`), `URL carries workers=${shown}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the chart data equals what the CLI prints for the same lesson, parameters and seed', async () => {
  const settings = { workers: '3', arrival_rate: '700', buffer: '12' };
  const query = Object.entries(settings).map(([k, v]) => `p.${k}=${v}`).join('&');
  const { page, errors, context } = await openPage(browser, `${server.url}?v=1&lesson=worker-pool&seed=5&${query}`);
  await page.click('[data-action=end]');
  await waitFinished(page);
  for (const chart of ['queue_depth', 'latency']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-chart=${chart}] [data-download=csv]`),
    ]);
    const path = join(OUT, `browser-${chart}.csv`);
    await download.saveAs(path);
    const browserCsv = readFileSync(path, 'utf8');
    const args = ['run', 'worker-pool', '--seed', '5', '--csv', chart];
    for (const [k, v] of Object.entries(settings)) args.push('--set', `${k}=${v}`);
    const cliCsv = execFileSync(GMPLAB, args, { encoding: 'utf8' });
    assert.ok(cliCsv.split('\n').length > 50, `${chart}: the CLI printed a series`);
    assert.equal(browserCsv, cliCsv, `${chart}: browser and CLI series differ`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('stepping forward then back reaches the same state as stepping directly', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=worker-pool&seed=9`);
  for (let i = 0; i < 10; i++) await page.click('[data-action=step]');
  assert.equal((await clock(page)).step, 10);
  for (let i = 0; i < 5; i++) await page.click('[data-action=back]');
  const back = await clock(page);
  assert.equal(back.step, 5);
  const fresh = await openPage(browser, `${server.url}?lesson=worker-pool&seed=9`);
  // The key handler is attached just after the first render: press until the first step lands.
  for (let tries = 0; (await clock(fresh.page)).step === 0 && tries < 40; tries++) {
    await fresh.page.keyboard.press('ArrowRight');
    await fresh.page.waitForTimeout(50);
  }
  for (let i = 1; i < 5; i++) await fresh.page.keyboard.press('ArrowRight');
  const direct = await clock(fresh.page);
  assert.equal(direct.step, 5);
  assert.equal(back.hash, direct.hash, 'whole-state hashes agree');
  const narration = await page.textContent('.narration');
  assert.match(narration, /task \d+/);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
  await context.close();
});

test('a shared link restores the exact state', async () => {
  const { page, context } = await openPage(browser, `${server.url}?lesson=worker-pool&seed=3&p.buffer=5`);
  for (let i = 0; i < 7; i++) await page.click('[data-action=step]');
  const here = await clock(page);
  const link = page.url();
  assert.match(link, /step=7/);
  const other = await openPage(browser, link);
  await other.page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.step === '7');
  assert.equal((await clock(other.page)).hash, here.hash);
  await other.context.close();
  await context.close();
});

test('switching to Chinese translates the page and is remembered', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=worker-pool&lang=en`);
  await page.click('button.lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const title = await page.textContent('.narrative h1');
  assert.match(title, /有界队列/);
  assert.match(await page.textContent('[data-action=play]'), /播放/);
  assert.match(page.url(), /lang=zh/);
  await page.screenshot({ path: join(OUT, 'worker-pool-zh.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a hostile link falls back to defaults with notices and nothing breaks', async () => {
  const url = `${server.url}?v=7&lesson=%3Cimg%20src=x%20onerror=alert(1)%3E&seed=-4&p.workers=9999&p.policy=%3Cb%3E&step=abc`;
  const { page, errors, context } = await openPage(browser, url);
  const notices = await page.$$eval('.notice', (els) => els.map((e) => e.textContent));
  assert.ok(notices.length >= 4, notices.join('\n'));
  assert.ok(notices.some((n) => n.includes('workers') && n.includes('1 to 64')), notices.join('\n'));
  assert.equal(await page.$('img[src=x]'), null, 'no markup from the URL reached the page');
  assert.equal((await clock(page)).step, 0);
  await page.click('[data-action=step]');
  assert.equal((await clock(page)).step, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a value typed out of range is refused with a message and the old value stays', async () => {
  const { page, errors, context } = await openPage(browser, server.url);
  await page.fill('input[data-param-input=buffer]', '5000');
  await page.press('input[data-param-input=buffer]', 'Enter');
  await page.waitForSelector('.param.invalid .field-error');
  const msg = await page.textContent('.param.invalid .field-error');
  assert.match(msg, /5000 is outside the allowed range 0 to 1000/);
  assert.ok(!page.url().includes('p.buffer='));
  assert.deepEqual(errors, []);
  await context.close();
});
