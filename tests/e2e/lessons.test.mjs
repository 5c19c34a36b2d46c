// Every lesson in a real headless Chromium: it opens without errors, its tour starts and moves on,
// its questions are answered by running the simulation, and its challenge fails at the defaults and
// passes with the lesson's own model answer. Embedded, answering and passing post their messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openPage, OUT, ROOT } from './harness.mjs';

const GMPLAB = process.env.GMPLAB_BIN ?? join(ROOT, 'target/debug/gmplab');
const LESSONS = JSON.parse(execFileSync(GMPLAB, ['lessons', '--json'], { encoding: 'utf8' }));
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

const query = (settings) =>
  Object.entries(settings).map(([k, v]) => `p.${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');

test('the catalogue has a lesson for each topic, each with questions', () => {
  assert.ok(LESSONS.length >= 10, `${LESSONS.length} lessons`);
  for (const l of LESSONS) assert.ok(l.questions.length >= 2, `${l.id} has ${l.questions.length} questions`);
});

for (const lesson of LESSONS) {
  test(`${lesson.id}: opens, tours, and answers its first question by running it`, async () => {
    const { page, errors, context } = await openPage(browser, `${server.url}?lesson=${lesson.id}&lang=en`);
    if (lesson.tour > 0) {
      await page.waitForSelector('[data-testid=tour-say]');
      assert.equal(await page.locator('[data-tour-target]').count(), 1, 'the first stop outlines its target');
    }
    const q = lesson.questions[0];
    await page.click(`[data-testid=q-${q.id}-0]`);
    const verdict = page.locator(`[data-testid=q-${q.id}-verdict]`);
    await verdict.waitFor({ timeout: 90_000 });
    assert.match(await verdict.getAttribute('data-correct'), /^(true|false)$/);
    const measured = await page.locator(`[data-question=${q.id}] .measured`).count();
    assert.equal(measured, q.choices, 'every choice shows what its runs measured');
    await page.screenshot({ path: join(OUT, `lesson-${lesson.id}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const ch of lesson.challenges) {
    test(`${lesson.id}: challenge ${ch.id} fails at the defaults and passes with its answer`, async () => {
      const grade = async (url) => {
        const { page, errors, context } = await openPage(browser, url);
        await page.click(`[data-testid=challenge-${ch.id}-grade]`);
        const v = page.locator(`[data-testid=challenge-${ch.id}-verdict]`);
        await v.waitFor({ timeout: 90_000 });
        const passed = await v.getAttribute('data-passed');
        assert.deepEqual(errors, []);
        await context.close();
        return passed;
      };
      assert.equal(await grade(`${server.url}?lesson=${lesson.id}`), 'false');
      assert.equal(await grade(`${server.url}?lesson=${lesson.id}&${query(ch.answer)}`), 'true');
    });
  }
}

test('goroutine-leak: at the end, the profile shows the leaked senders as one group at one line', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=goroutine-leak&lang=en`);
  await page.click('[data-action=end]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]')?.dataset.finished === 'true', null, {
    timeout: 90_000,
  });
  const rows = await page.$$eval('[data-testid=goroutine-profile] tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(rows[0].slice(0, 2), ['60', 'chan send'], JSON.stringify(rows));
  assert.match(rows[0][2], /^backend:\d+$/);
  const leakLine = Number(rows[0][2].split(':')[1]);
  const marked = await page.getAttribute(`[data-testid=code-pane] [data-line="${leakLine}"]`, 'class');
  assert.match(marked, /at-waiting/, 'the code pane marks the line where they wait');
  await page.screenshot({ path: join(OUT, 'lesson-goroutine-leak-end.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an author previews a lesson file pasted on the home page; a broken one says where it is wrong', async () => {
  const src = readFileSync(join(ROOT, 'lessons/worker-pool.md'), 'utf8')
    .replace('id = "worker-pool"', 'id = "my-pool"')
    .replace('Worker pool: a bounded queue that drops when full', 'My own pool lesson');
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=worker-pool&lang=en`);
  await page.goto(`${server.url}?page=home&lang=en`);
  await page.fill('[data-testid=preview-text]', src);
  await page.click('[data-testid=preview-open]');
  await page.waitForSelector('[data-testid=clock]');
  assert.match(await page.textContent('h1'), /My own pool lesson/);
  // Its questions work like a built-in lesson's.
  await page.click('[data-testid=q-buffer-tail-0]');
  await page.locator('[data-testid=q-buffer-tail-verdict]').waitFor({ timeout: 90_000 });

  await page.goto(`${server.url}?page=home&lang=en`);
  await page.fill('[data-testid=preview-text]', src.replace('max = 64\ndefault = 4\n', 'max = 64\ndefault = 400\n'));
  await page.click('[data-testid=preview-open]');
  await page.waitForSelector('[data-testid=clock]');
  const notices = await page.$$eval('.notice', (els) => els.map((e) => e.textContent).join('\n'));
  assert.match(notices, /your-lesson\.md:\d+:\d+: `workers` default: 400 is outside the allowed range 1 to 64/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the tour waits for its moment, then Next moves the outline', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=worker-pool&lang=en`);
  await page.waitForSelector('[data-testid=tour-say]');
  assert.equal(await page.getAttribute('[data-region=params]', 'data-tour-target'), '');
  await page.click('[data-testid=tour-next]');
  await page.waitForFunction(() => document.querySelector('[data-region=stage]')?.hasAttribute('data-tour-target'));
  assert.equal(await page.locator('[data-tour-target]').count(), 1);
  await page.click('[data-testid=tour-next]');
  // The third stop is due at 3 s of simulated time: until then the tour says when it continues.
  await page.waitForSelector('[data-testid=tour-wait]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('embedded, a question posts quiz-answered and a passed challenge posts challenge-passed', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1100 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const src = `${server.url}index.html?lesson=worker-pool&embed=1&${query({ workers: 8, buffer: 20 })}`;
  await page.setContent(`<!doctype html><script>window.msgs=[];addEventListener('message',e=>msgs.push(e.data))</script>
    <iframe id=f src="${src}" style="width:1150px;height:1050px"></iframe>`);
  const frame = page.frameLocator('#f');
  await frame.locator('[data-testid=clock]').waitFor({ timeout: 30_000 });
  await frame.locator('[data-testid=q-buffer-tail-2]').click();
  await page.waitForFunction(() => msgs.some((m) => m.type === 'quiz-answered'), null, { timeout: 90_000 });
  const answered = await page.evaluate(() => msgs.find((m) => m.type === 'quiz-answered'));
  assert.equal(answered.source, 'gmplab');
  assert.equal(answered.lesson, 'worker-pool');
  assert.equal(answered.question, 'buffer-tail');
  assert.equal(answered.correct, true, 'a 1,000-slot buffer has the worst tail, as the runs say');
  assert.equal(answered.score, 1);
  await frame.locator('[data-testid=challenge-size-the-pool-grade]').click();
  await page.waitForFunction(() => msgs.some((m) => m.type === 'challenge-passed'), null, { timeout: 90_000 });
  const passed = await page.evaluate(() => msgs.find((m) => m.type === 'challenge-passed'));
  assert.deepEqual(passed, { source: 'gmplab', type: 'challenge-passed', lesson: 'worker-pool', challenge: 'size-the-pool' });
  assert.deepEqual(errors, []);
  await context.close();
});
