// The flash-sale lessons in headless Chromium: the stage diagram is live mid-run, the full
// 500,000 req/s run finishes in slices behind a progress bar while the page stays responsive, and the
// naive V1 code visibly oversells.
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

const LAYERS = 'p.edge_limit=true&p.local_stock=true&p.buckets=4&p.breaker=true';
const clock = (page) => page.$eval('[data-testid=clock]', (el) => ({ ...el.dataset }));
const stock = (page) => page.$eval('[data-testid=sale-stock]', (el) => ({ sold: Number(el.dataset.sold), oversold: Number(el.dataset.oversold) }));

test('flash-sale-v3: mid-run, every stage of the diagram is live and the layers shed the crowd', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=flash-sale-v3&lang=en&${LAYERS}`);
  await page.waitForSelector('[data-testid=sale-users]');
  await page.click('[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').dataset.nowNs) > 1.2e9, null, { timeout: 90_000 });
  await page.click('[data-action=play]');
  for (const id of ['users', 'edge', 'app', 'local', 'noncore', 'redis', 'mq', 'db']) {
    assert.equal(await page.locator(`[data-testid=sale-${id}]`).count(), 1, `a box for ${id}`);
  }
  assert.equal(await page.getAttribute('[data-testid=sale-edge]', 'data-on'), 'true');
  assert.equal(await page.getAttribute('[data-testid=sale-local]', 'data-on'), 'true');
  assert.equal(await page.locator('.sale-box.limiting').count(), 1, 'one stage is marked as the limit');
  assert.equal(await page.getAttribute('.sale-box.limiting', 'data-testid'), 'sale-edge', 'with the edge on, the edge limits by design');
  assert.equal(await page.locator('.sale-bucket').count(), 4, 'one bar per stock bucket');
  const s = await stock(page);
  assert.ok(s.sold > 0 && s.sold < 50000, `selling: ${s.sold} sold`);
  assert.equal(s.oversold, 0);
  await page.screenshot({ path: join(OUT, 'flash-sale-v3-mid-run.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('flash-sale-v3: 10 s at 500,000 req/s runs to the end in slices, behind a progress bar', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=flash-sale-v3&lang=en&${LAYERS}`);
  await page.waitForSelector('[data-testid=sale-users]');
  await page.click('[data-action=end]');
  await page.waitForSelector('[role=progressbar]', { timeout: 30_000 });
  // It runs in slices: the progress bar was shown, and the page keeps answering between them.
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.finished === 'true', null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-testid=sale-users]').length), 1);
  const s = await stock(page);
  assert.equal(s.sold, 50000, 'every item sold');
  assert.equal(s.oversold, 0);
  const offered = await page.$eval('[data-metric=offered] .tile-value', (el) => Number(el.textContent.replace(/,/g, '')));
  assert.ok(offered > 5_000_000, `${offered} requests offered`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('flash-sale-v1: the naive GET-then-DECR oversells, in the diagram and in the stats', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=flash-sale-v1&lang=zh`);
  await page.waitForSelector('[data-testid=sale-redis]');
  await page.click('[data-action=end]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.finished === 'true', null, { timeout: 90_000 });
  const s = await stock(page);
  assert.ok(s.oversold > 0, `oversold ${s.oversold}`);
  assert.equal(s.sold, 100 + s.oversold);
  assert.match(await page.textContent('[data-testid=sale-stock]'), /超卖/);
  assert.equal(await page.getAttribute('[data-testid=sale-edge]', 'data-on'), 'false', 'V1 has no edge limit');
  await page.screenshot({ path: join(OUT, 'flash-sale-v1-oversold.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
