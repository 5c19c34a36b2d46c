// The time readout is true in every lesson: before Play it reads zero against the run's planned
// length (for a Go program, "~" its lesson's estimate: nobody knows before it exits); at the end
// it reads the run's real length against itself, in a unit that shows it (a sub-millisecond run
// reads in µs, never "0.000 s"), and the time shown equals the simulation's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openPage, clock, OUT, ROOT } from './harness.mjs';

const env = useBrowser();
const LESSONS = readdirSync(join(ROOT, 'lessons'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(ROOT, 'lessons', f), 'utf8'))
  .map((src) => ({ id: src.match(/^id = "([^"]+)"/m)[1], go: /^model = "go"/m.test(src) }))
  .sort((a, b) => a.id.localeCompare(b.id));
const UNIT = { s: 1e9, ms: 1e6, 'µs': 1e3 };

/** "1.250 ms / 2 ms" as numbers of nanoseconds: [now, total] (total null when not shown). */
function parse(text) {
  const m = text.match(/^([0-9.]+) (s|ms|µs)(?: \/ (~?)([0-9.]+) (s|ms|µs))?$/);
  assert.ok(m, `the readout "${text}" reads "now unit / total unit"`);
  return [Number(m[1]) * UNIT[m[2]], m[4] === undefined ? null : Number(m[4]) * UNIT[m[5]], m[1], m[3] === '~'];
}

for (const lesson of LESSONS) {
  test(`${lesson.id}: the time readout is true before Play and at the end`, async () => {
    const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=${lesson.id}&lang=en`,
      { viewport: { width: 1440, height: 900 } });
    const [now0, total0, , about] = parse(await page.textContent('[data-testid=clock-time]'));
    assert.equal(now0, 0);
    assert.ok(total0 > 0, 'the planned length is shown');
    assert.equal(about, lesson.go, 'a Go program\'s length is shown as an estimate, a scenario\'s as planned');

    await page.click('[data-action=end]');
    await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.finished === 'true',
      null, { timeout: 180_000 });
    const c = await clock(page);
    const text = await page.textContent('[data-testid=clock-time]');
    const [now, total, digits] = parse(text);
    assert.equal(now, total, `at the end the run's length is its total: "${text}"`);
    assert.notEqual(Number(digits), 0, `a run of ${c.step} steps does not read zero: "${text}"`);
    assert.ok(Math.abs(now - c.nowNs) <= Math.max(0.0005 * c.nowNs, 1), `"${text}" is the clock's ${c.nowNs} ns`);
    if (lesson.id === 'flash-sale-v3' || lesson.id === 'atomics') {
      await page.locator('.controls').screenshot({ path: join(OUT, `clock-${lesson.id}.png`) });
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
