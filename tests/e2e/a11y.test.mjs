// Accessibility audit with axe-core (from npm, injected into the page): no serious or critical
// violation on the home page, every lesson (in English and, for one, in Chinese), the playground,
// an embedded lesson and the sample course page with its frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openAt, OUT, ROOT } from './harness.mjs';

const env = useBrowser();
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const LESSONS = readdirSync(join(ROOT, 'lessons'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(ROOT, 'lessons', f), 'utf8').match(/^id = "([^"]+)"/m)[1])
  .sort();

/** Runs axe in every frame of the page and returns its serious and critical violations. */
async function audit(page) {
  for (const f of page.frames()) await f.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join('\n    ')}`);
}

/** Opens `path` with the page's CSP bypassed (axe injects its script) and waits for `ready`. */
const open = (path, ready, viewport) =>
  openAt(env.browser, `${env.server.url}${path}`, ready, { bypassCSP: true, ...(viewport ? { viewport } : {}) });

const PAGES = [
  { name: 'home', path: '?page=home&lang=en', ready: '.lesson-card' },
  { name: 'home-zh', path: '?page=home&lang=zh', ready: '.lesson-card' },
  { name: 'playground', path: '?page=playground&lang=en', ready: '[data-testid=clock]' },
  { name: 'embed', path: '?lesson=worker-pool&embed=1&lang=en', ready: '[data-testid=clock]', viewport: { width: 390, height: 844 } },
  { name: 'lesson-zh', path: '?lesson=worker-pool&lang=zh', ready: '[data-testid=clock]' },
  ...LESSONS.map((id) => ({ name: `lesson-${id}`, path: `?lesson=${id}&lang=en`, ready: '[data-testid=clock]' })),
];

for (const p of PAGES) {
  test(`axe: ${p.name} has no serious accessibility violation`, async () => {
    const { context, page, errors } = await open(p.path, p.ready, p.viewport);
    const found = await audit(page);
    if (found.length) await page.screenshot({ path: join(OUT, `a11y-${p.name}.png`), fullPage: true });
    assert.deepEqual(found, [], `${p.name}:\n  ${found.join('\n  ')}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('axe: the course page and its embedded lessons have no serious accessibility violation', async () => {
  const { context, page, errors } = await open('course.html', 'iframe');
  await page.waitForFunction(() => document.querySelectorAll('#log li[data-type=ready]').length === 3, null, { timeout: 30_000 });
  const found = await audit(page);
  assert.deepEqual(found, [], `course page:\n  ${found.join('\n  ')}`);
  assert.deepEqual(errors, []);
  await context.close();
});
