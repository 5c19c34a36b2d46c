// Chinese is reachable from a link on every page: `lang=zh` opens the home page, a lesson and the
// playground in Chinese (whatever the browser's language), the links between pages keep it, the
// playground's own link carries it, and the scheduler board's state words are Chinese too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openAt, OUT } from './harness.mjs';

const env = useBrowser();
const CJK = /[\u4e00-\u9fff]/;

/** An English browser: only the link asks for Chinese. */
const open = (path, ready, viewport = { width: 1440, height: 900 }) =>
  openAt(env.browser, `${env.server.url}${path}`, ready, { viewport, locale: 'en-US' });

for (const viewport of [{ width: 390, height: 844 }, { width: 720, height: 900 }, { width: 1440, height: 900 }]) {
  test(`home at ${viewport.width}: lang=zh opens it in Chinese and its links keep the language`, async () => {
    const { context, page, errors } = await open('?page=home&lang=zh', '.lesson-card', viewport);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.textContent('h1'), CJK);
    const links = await page.$$eval('.lesson-card a[href*="lesson="]', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 10 && links.every((h) => h.includes('lang=zh')), 'lesson links carry lang=zh');
    await page.screenshot({ path: join(OUT, `zh-home-${viewport.width}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the playground opens in Chinese from its link, keeps lang in its own link, and the board speaks Chinese', async () => {
  const { context, page, errors } = await open('?page=playground&lang=zh', '[data-testid=clock]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.click('[data-testid=to-end]');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').dataset.finished === 'true', null, { timeout: 60_000 });
  assert.match(await page.evaluate(() => location.search), /lang=zh/, 'the address the learner shares keeps the language');
  const words = await page.$$eval('.p-head .muted, .p-cur .muted, .m small', (els) => els.map((e) => e.textContent.trim()));
  assert.ok(words.length > 0 && words.every((w) => CJK.test(w)), `board words are Chinese: ${words.join(', ')}`);
  await page.screenshot({ path: join(OUT, 'zh-playground.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lesson opened with lang=zh is Chinese, and its header links keep the language', async () => {
  const { context, page, errors } = await open('?lesson=worker-pool&lang=zh', '[data-testid=clock]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const hrefs = await page.$$eval('.topbar a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => h.includes('lang=zh')), `header links: ${hrefs.join(' ')}`);
  assert.deepEqual(errors, []);
  await context.close();
});
