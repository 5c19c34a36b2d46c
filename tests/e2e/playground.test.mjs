// The Go playground in a real headless Chromium: a deadlocking program shows Go's message at the
// right line; stepping forward 10 and back 5 equals stepping 5 (whole-state hash); a copied link
// reopens the same program at the same state; a compile error marks its line; a program that
// never ends can be stopped and the page stays responsive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launch, openPage, clock, animationFrames, OUT } from './harness.mjs';

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

const PG = () => `${server.url}?page=playground`;

async function setProgram(page, src) {
  await page.fill('[data-testid=editor]', src);
  await page.click('[data-testid=run]');
}

const waitFinished = (page) =>
  page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.dataset.finished === 'true', null, {
    timeout: 60_000,
  });

test('a deadlocking program ends with Go\'s message, marked at the blocked line', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  await setProgram(page, 'package main\n\nimport "fmt"\n\nfunc main() {\n\tch := make(chan int)\n\tch <- 1\n\tfmt.Println(<-ch)\n}\n');
  await page.click('[data-testid=to-end]');
  await waitFinished(page);
  const stderr = await page.textContent('[data-testid=stderr]');
  assert.match(stderr, /^fatal error: all goroutines are asleep - deadlock!/);
  assert.match(stderr, /goroutine 1 \[chan send\]:/);
  const marked = await page.$eval('.ln.at-error', (el) => el.dataset.line);
  assert.equal(marked, '7');
  // The board says why, in its own names, and where.
  const why = await page.locator('[data-testid=deadlock-why] li').allTextContents();
  assert.equal(why[0], 'G1 waits to send on chan#0 (line 7): it needs a goroutine to receive.');
  assert.match(why.at(-1), /all goroutines are asleep/);
  assert.equal(await page.getAttribute('[data-testid=deadlock-why]', 'data-lines'), '7');
  await page.screenshot({ path: join(OUT, 'playground-deadlock.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('ten steps forward and five back equal five steps, and a link restores the state', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  await page.selectOption('[data-testid=starter]', '0');
  for (let i = 0; i < 10; i++) await page.click('[data-testid=step]');
  for (let i = 0; i < 5; i++) await page.click('[data-testid=back]');
  const back = await clock(page);
  assert.equal(back.step, 5);
  await page.click('[data-testid=run]');
  for (let i = 0; i < 5; i++) await page.click('[data-testid=step]');
  const fwd = await clock(page);
  assert.equal(fwd.step, 5);
  assert.equal(back.hash, fwd.hash, 'same whole-state hash');

  for (let i = 0; i < 40; i++) await page.click('[data-testid=step]');
  const here = await clock(page);
  const url = page.url();
  assert.match(url, /src=/);
  const again = await openPage(browser, url);
  await again.page.waitForFunction((s) => Number(document.querySelector('[data-testid=clock]').dataset.step) === s, here.step);
  const there = await clock(again.page);
  assert.equal(there.hash, here.hash, 'the link reopens the same state');
  assert.deepEqual(errors, []);
  assert.deepEqual(again.errors, []);
  await again.context.close();
  await context.close();
});

test('the board shows Ps, queues and goroutines mid-run', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  await page.selectOption('[data-testid=starter]', '2');
  for (let i = 0; i < 60; i++) await page.click('[data-testid=step]');
  const ps = await page.$$eval('.p-card', (els) => els.length);
  assert.equal(ps, 4, 'GOMAXPROCS=4 shows four Ps');
  const chips = await page.$$eval('[data-testid=gmp-board] .g', (els) => els.length);
  assert.ok(chips > 3, 'goroutines are drawn');
  const marks = await page.$$eval('.ln.at-running, .ln.at-waiting', (els) => els.length);
  assert.ok(marks > 0, 'the code pane marks where goroutines are');
  await page.screenshot({ path: join(OUT, 'playground-board.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a compile error is shown and marked at its line; the last output stays', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  await setProgram(page, 'package main\n\nfunc main() {\n\tx := 1\n}\n');
  const msg = await page.textContent('[data-testid=compile-errors]');
  assert.match(msg, /main\.go:4:2: declared and not used: x/);
  assert.equal(await page.$eval('.ln.at-error', (el) => el.dataset.line), '4');
  // The board no longer shows the previous program's state as if it were this one's.
  assert.equal(await page.locator('.board .p-card').count(), 0);
  await page.waitForSelector('[data-testid=board-cleared]');
  await page.screenshot({ path: join(OUT, 'playground-compile-error.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a busy loop and an exponential spawner can be stopped while they run', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  for (const src of [
    'package main\n\nimport "fmt"\n\nfunc main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t\tif n < 0 {\n\t\t\tfmt.Println(n)\n\t\t}\n\t}\n}\n',
    'package main\n\nfunc spawn() {\n\tgo spawn()\n\tgo spawn()\n\tselect {}\n}\n\nfunc main() {\n\tspawn()\n}\n',
  ]) {
    await setProgram(page, src);
    await page.click('[data-testid=to-end]');
    // It is running: virtual time moves while the page keeps answering.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').dataset.nowNs) > 0);
    await page.click('[data-testid=stop]');
    await page.waitForSelector('[data-testid=to-end]');
    const a = await clock(page);
    assert.ok(a.nowNs > 0, 'it ran before Stop');
    await animationFrames(page, 20);
    const b = await clock(page);
    assert.equal(b.nowNs, a.nowNs, 'nothing runs in the 20 frames after Stop');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('? opens the keyboard help, Escape closes it; saved snippets survive a reload', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  await page.locator('body').press('?');
  await page.waitForSelector('[data-testid=help]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=help]', { state: 'detached' });

  await setProgram(page, 'package main\n\nimport "fmt"\n\nfunc greet() { fmt.Println("hi") }\n\nfunc main() { greet() }\n');
  await page.click('[data-testid=save]');
  await page.reload();
  await page.waitForSelector('[data-testid=clock]');
  const names = await page.$$eval('[data-testid=starter] optgroup option', (os) => os.map((o) => o.textContent));
  assert.ok(names.some((n) => n.includes('func greet')), `saved: ${names}`);
  assert.match(await page.inputValue('[data-testid=editor]'), /func greet/, 'the program survives a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the playground charts goroutines by state and each P\'s busy time', async () => {
  const { page, errors, context } = await openPage(browser, PG());
  await page.selectOption('[data-testid=starter]', '0');
  await page.click('[data-testid=to-end]');
  await waitFinished(page);
  const charts = await page.$$eval('.pg-side [data-chart]', (els) => els.map((e) => e.dataset.chart));
  assert.deepEqual(charts.sort(), ['goroutines', 'procs']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('compare mode: a pinned run stays on the charts while parameters change', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=worker-pool`);
  await page.click('[data-action=end]');
  await waitFinished(page);
  await page.click('[data-action=pin]');
  const pinned = await page.$$eval('[data-chart]', (els) => els.filter((e) => e.dataset.pinned === 'true').length);
  assert.ok(pinned >= 2, 'every chart shows the pinned run');
  const input = page.locator('.param input.num').first();
  await input.fill('1200');
  await input.press('Enter');
  await page.waitForFunction(() => location.search.includes('arrival_rate=1200'));
  assert.ok((await page.$$eval('[data-chart][data-pinned=true]', (els) => els.length)) >= 2, 'still pinned after a change');
  await page.screenshot({ path: join(OUT, 'compare-mode.png') });
  await page.click('[data-action=pin]');
  assert.equal(await page.$$eval('[data-chart][data-pinned=true]', (els) => els.length), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
