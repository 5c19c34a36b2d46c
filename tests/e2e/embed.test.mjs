// The sample course page: two embedded lessons announce themselves with `ready`, the host's
// commands drive the second one, and its `step` messages come back.
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

test('embedded lessons post ready and obey host commands', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}course.html`);
  await page.waitForFunction(() => document.querySelectorAll('#log li[data-type=ready]').length === 2, null, { timeout: 30_000 });

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
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}course.html`);
  const origin = new URL(server.url).origin;
  await page.evaluate((own) => {
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
  for (const id of ['any', 'listed', 'elsewhere']) {
    await page.frameLocator(`#${id}`).locator('[data-testid=clock]').waitFor({ timeout: 30_000 });
  }
  await page.waitForFunction(() => ['any', 'listed'].every((id) => document.querySelector(`#log li[data-from=${id}][data-type=ready]`)), null, { timeout: 10_000 });
  const step = async (id) => Number(await page.frameLocator(`#${id}`).locator('[data-testid=clock]').getAttribute('data-step'));
  const post = (id, messages) => page.evaluate(({ id, messages }) => {
    const w = document.getElementById(id).contentWindow;
    for (const m of messages) w.postMessage(m, '*');
  }, { id, messages });
  const valid = { source: 'gmplab-host', type: 'command', command: 'step' };

  // Wrong shapes first, then one real Step: the lesson moves exactly one step and does not play.
  const before = await step('any');
  await post('any', [
    'step', null, 42, ['step'], { command: 'step' }, { source: 'gmplab-host', command: 'step' },
    { source: 'gmplab', type: 'command', command: 'step' }, { source: 'gmplab-host', type: 'command', command: 'STEP' },
    { source: 'gmplab-host', type: 'command', command: 'play ' }, { source: 'gmplab-host', type: 'command', command: ['play'] },
    { source: 'gmplab-host', type: 'command', command: 'javascript:alert(1)' }, '<img src=x onerror=alert(1)>',
    { source: ['gmplab-host'], type: 'command', command: 'play' }, { source: 'gmplab-host', type: 1, command: 'play' },
    valid,
  ]);
  await page.frameLocator('#any').locator(`[data-testid=clock][data-step="${before + 1}"]`).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(800);
  assert.equal(await step('any'), before + 1, 'only the well-formed command acted, and nothing started playing');

  // The listed origin is heard.
  const listed = await step('listed');
  await post('listed', [valid]);
  await page.frameLocator('#listed').locator(`[data-testid=clock][data-step="${listed + 1}"]`).waitFor({ timeout: 10_000 });

  // A lesson that lists only another origin neither obeys this page nor tells it anything.
  const elsewhere = await step('elsewhere');
  await post('elsewhere', [valid, { ...valid, command: 'play' }]);
  await page.waitForTimeout(1_000);
  assert.equal(await step('elsewhere'), elsewhere, 'commands from an unlisted origin are ignored');
  assert.equal(await page.locator('#log li[data-from=elsewhere]').count(), 0, 'messages go only to the listed origin');
  assert.deepEqual(errors.filter((e) => !/course\.example/.test(e)), []);
  await context.close();
});
