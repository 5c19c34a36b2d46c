// The sample course page: two embedded lessons announce themselves with `ready`, the host's
// commands drive the second one, and its `step` messages come back. Lessons added to the page then
// show that messages of the wrong shape, and commands from origins a lesson does not list, do nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launch, OUT } from './harness.mjs';

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

/** The sample course page in a fresh context, with its page errors and console errors collected. */
async function openCourse() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}course.html`);
  return { context, page, errors };
}

/** A message no handler acts on. Messages between two windows arrive in the order they were posted,
 * so once a window has seen it, it has already handled everything posted to it before. */
const BARRIER = 'gmplab-test-barrier';

test('embedded lessons post ready and obey host commands', async () => {
  const { context, page, errors } = await openCourse();
  await page.waitForFunction(() => document.querySelectorAll('#log li[data-type=ready]').length === 3, null, { timeout: 30_000 });

  const frame = page.frameLocator('#lesson-block');
  await frame.locator('[data-testid=clock]').waitFor();
  assert.equal(await frame.locator('.param').count(), 0, 'fixed=1 hides the parameter panel');
  const before = Number(await frame.locator('[data-testid=clock]').getAttribute('data-step'));
  await page.click('[data-testid=host-step]');
  await page.waitForFunction(
    () => [...document.querySelectorAll('#log li[data-from=lesson-block][data-type=step]')].some((li) => / \(step [1-9]/.test(li.textContent)),
    null, { timeout: 10_000 });
  const after = Number(await frame.locator('[data-testid=clock]').getAttribute('data-step'));
  assert.equal(after, before + 1, 'the host\'s Step command stepped the lesson once');

  // The first lesson autoplays: its step messages arrive without any command from the page.
  await page.waitForFunction(
    () => [...document.querySelectorAll('#log li[data-from=lesson-drop][data-type=step]')].some((li) => / \(step [1-9]/.test(li.textContent)),
    null, { timeout: 10_000 });
  await page.screenshot({ path: join(OUT, 'course-embed.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lesson ignores host messages of the wrong shape, and with origins= hears and answers only those origins', async () => {
  const { context, page, errors } = await openCourse();
  const origin = new URL(server.url).origin;
  // A lesson that lists another origin addresses its `ready` there; Chromium reports the mismatch
  // on the console. Seeing it shows the lesson has started listening, and where it posts.
  const elsewhereReady = new Promise((resolve, reject) => {
    page.on('console', (m) => { if (/course\.example/.test(m.text())) resolve(); });
    setTimeout(() => reject(new Error('the lesson listing https://course.example never addressed its ready there')), 30_000).unref();
  });
  await page.evaluate((own) => {
    window.heard = [];
    window.addEventListener('message', (e) => {
      const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
      window.heard.push({ from: frame ? frame.id : '?', data: e.data });
    });
    const frames = [
      ['any', ''],
      ['listed', `&origins=${encodeURIComponent(own)}`],
      ['elsewhere', `&origins=${encodeURIComponent('https://course.example')}`],
    ];
    for (const [id, extra] of frames) {
      const f = document.createElement('iframe');
      f.id = id;
      f.src = `index.html?lesson=worker-pool&embed=1${extra}`;
      document.body.append(f);
    }
  }, origin);
  await page.waitForFunction(() => ['any', 'listed'].every((id) => document.querySelector(`#log li[data-from=${id}][data-type=ready]`)), null, { timeout: 30_000 });
  await elsewhereReady;

  const frameOf = async (id) => (await page.$(`#${id}`)).contentFrame();
  /** The lesson's step and its Play button's label (which reads Pause while it plays). */
  const state = async (id) => {
    const f = await frameOf(id);
    return {
      step: Number(await f.locator('[data-testid=clock]').getAttribute('data-step')),
      play: await f.locator('[data-action=play]').getAttribute('aria-label'),
    };
  };
  /** Posts `messages` to a lesson from this page and returns once the lesson has handled them all. */
  const send = async (id, messages) => {
    const f = await frameOf(id);
    await f.evaluate((barrier) => {
      window.settled = new Promise((resolve) => {
        window.addEventListener('message', function seen(e) {
          if (e.data === barrier) { window.removeEventListener('message', seen); resolve(); }
        });
      });
    }, BARRIER);
    await page.evaluate(({ id, messages }) => {
      const w = document.getElementById(id).contentWindow;
      for (const m of messages) w.postMessage(m, '*');
    }, { id, messages: [...messages, BARRIER] });
    await f.evaluate(() => window.settled);
  };
  const valid = { source: 'gmplab-host', type: 'command', command: 'step' };

  // Wrong shapes first, then one real Step: the lesson moves exactly one step and does not play.
  const any = await state('any');
  await send('any', [
    'step', null, 42, ['step'], { command: 'step' }, { source: 'gmplab-host', command: 'step' },
    { source: 'gmplab', type: 'command', command: 'step' }, { source: 'gmplab-host', type: 'command', command: 'STEP' },
    { source: 'gmplab-host', type: 'command', command: 'play ' }, { source: 'gmplab-host', type: 'command', command: ['play'] },
    { source: 'gmplab-host', type: 'command', command: 'javascript:alert(1)' }, '<img src=x onerror=alert(1)>',
    { source: ['gmplab-host'], type: 'command', command: 'play' }, { source: 'gmplab-host', type: 1, command: 'play' },
    valid,
  ]);
  assert.deepEqual(await state('any'), { ...any, step: any.step + 1 }, 'only the well-formed command acted, and nothing started playing');

  // The listed origin is heard, and a play from it plays.
  const listed = await state('listed');
  await send('listed', [valid, { ...valid, command: 'play' }]);
  const heard = await state('listed');
  assert.ok(heard.step > listed.step, 'the listed origin\'s Step moved the lesson');
  assert.notEqual(heard.play, listed.play, 'the listed origin\'s Play started it');

  // A lesson that lists only another origin neither obeys this page nor tells it anything.
  const elsewhere = await state('elsewhere');
  await send('elsewhere', [valid, { ...valid, command: 'play' }]);
  assert.deepEqual(await state('elsewhere'), elsewhere, 'commands from an unlisted origin are ignored');
  await (await frameOf('elsewhere')).evaluate((barrier) => window.parent.postMessage(barrier, '*'), BARRIER);
  await page.waitForFunction((barrier) => window.heard.some((h) => h.from === 'elsewhere' && h.data === barrier), BARRIER);
  assert.deepEqual(
    await page.evaluate((barrier) => window.heard.filter((h) => h.from === 'elsewhere' && h.data !== barrier), BARRIER),
    [], 'the lesson posted nothing this page could hear');
  assert.deepEqual(errors.filter((e) => !/course\.example/.test(e)), []);
  await context.close();
});
