// Figures are true while a run plays, not only at its end: the worker pool at its defaults, paused
// at about t = 5 s (3 s into the measured window), shows a throughput within 15 % of the whole run's
// and a mean queue within 15 % of queueing theory, labelled "so far"; its throughput chart does not
// fall towards zero where the run stands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openPage, clock, OUT } from './harness.mjs';

const env = useBrowser();

/** The numbers of the summary tiles: value and theory, as shown. */
async function tiles(page) {
  return page.evaluate(() => {
    const num = (s) => (s == null ? null : Number(s.replace(/[^0-9.]/g, '')));
    const tile = (id) => document.querySelector(`[data-metric=${id}]`);
    return {
      throughput: num(tile('throughput_per_s').querySelector('.tile-value').textContent),
      queue: num(tile('queue_len_mean').querySelector('.tile-value').textContent),
      queueTheory: num(tile('queue_len_mean').querySelector('.theory')?.textContent),
      note: document.querySelector('[data-testid=stats-note]')?.textContent ?? '',
      latestCompleted: (() => {
        const label = document.querySelector('[data-chart=throughput] canvas').getAttribute('aria-label');
        const m = label.match(/completed: latest ([0-9.]+)/);
        return m ? Number(m[1]) : null;
      })(),
    };
  });
}

const near = (a, b, tol) => Math.abs(a - b) <= tol * Math.abs(b);

test('the worker pool\'s live throughput and mean queue at t = 5 s match the final run and theory within 15 %', async () => {
  const { page, errors, context } = await openPage(env.browser, `${env.server.url}?lesson=worker-pool&lang=en&seed=1`,
    { viewport: { width: 1440, height: 900 } });
  // At 1× (the lesson's opening speed), so the pause lands close to t = 5 s.
  await page.click('[data-action=play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').dataset.nowNs) >= 5e9,
    null, { timeout: 60_000 });
  await page.click('[data-action=play]'); // pause
  const at = await clock(page);
  const live = await tiles(page);
  await page.screenshot({ path: join(OUT, 'live-figures-t5.png') });

  await page.click('[data-action=end]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.finished === 'true',
    null, { timeout: 120_000 });
  const final = await tiles(page);

  const t = (at.nowNs / 1e9).toFixed(2);
  assert.ok(at.nowNs < 6e9, `paused close to t = 5 s (t = ${t} s)`);
  assert.match(live.note, /So far/, 'the live figures say they are so far');
  assert.equal(final.note, '', 'the finished run\'s figures are not "so far"');
  assert.ok(near(live.throughput, final.throughput, 0.15),
    `throughput at t = ${t} s: ${live.throughput}/s, whole run ${final.throughput}/s`);
  assert.ok(live.queueTheory > 0, 'theory is shown beside the mean queue');
  assert.ok(near(live.queue, live.queueTheory, 0.15),
    `mean queue at t = ${t} s: ${live.queue}, theory ${live.queueTheory}`);
  assert.ok(live.latestCompleted > 0.5 * final.throughput,
    `the throughput chart's latest point (${live.latestCompleted}/s) does not fall towards zero`);
  assert.ok(final.latestCompleted > 0.5 * final.throughput,
    `the finished chart's last point (${final.latestCompleted}/s) does not fall towards zero`);
  assert.deepEqual(errors, []);
  await context.close();
});
