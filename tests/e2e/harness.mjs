// Shared set-up for the browser tests: a static server for www/ on a free loopback port and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const OUT = join(ROOT, 'tests/e2e/out');
mkdirSync(OUT, { recursive: true });

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-dev-shm-usage', '--disable-component-update', '--disable-sync',
];

/** Starts scripts/serve.mjs on port 0 and resolves with its base URL once it listens. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 10 s')), 10_000);
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[0], stop: () => proc.kill() });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Launches Debian's Chromium once. */
function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
    // Chromium's own stderr reaches the test log, so a crashed browser explains itself.
    logger: {
      isEnabled: (name, severity) => name === 'browser' && severity !== 'verbose',
      log: (name, severity, message) => process.stderr.write(`[chromium ${severity}] ${message}\n`),
    },
  });
}

/**
 * A browser that survives a crash of the one before it: if Chromium has gone away (a renderer or GPU
 * process can take the whole browser down on a loaded CI machine), the next context is opened in a fresh
 * launch, so one crash fails at most the test it happened in.
 */
export async function launch() {
  let current = await launchChromium();
  return {
    async newContext(opts) {
      if (!current.isConnected()) {
        process.stderr.write('[harness] chromium disconnected; relaunching\n');
        current = await launchChromium();
      }
      return current.newContext(opts);
    },
    isConnected: () => current.isConnected(),
    close: () => current.close(),
  };
}

/** Opens a page, failing the test on any page error or console error. */
export async function openPage(browser, url, { viewport = { width: 1440, height: 1000 }, ...opts } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...opts });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid=clock]', { timeout: 20_000 });
  return { page, context, errors };
}

/** Opens any page (home, playground, course page) and waits for `ready`; page errors are collected. */
export async function openAt(browser, url, ready, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 30_000 });
  return { context, page, errors };
}

/** The clock's data attributes: step, virtual time, state hash, finished. */
export async function clock(page) {
  return page.$eval('[data-testid=clock]', (el) => ({
    step: Number(el.dataset.step),
    nowNs: Number(el.dataset.nowNs),
    hash: el.dataset.hash,
    finished: el.dataset.finished === 'true',
  }));
}

/** Resolves after the page has drawn `n` animation frames. Runs advance one slice per frame, so
 * this is how a test waits to see that something does not move: by frames, not by the clock. */
export async function animationFrames(page, n) {
  await page.evaluate((n) => new Promise((resolve) => {
    let left = n;
    const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), n);
}

/** A cheap fingerprint of a canvas's pixels, computed inside the page. */
export async function canvasHash(page, chartId) {
  return page.$eval(`[data-chart=${chartId}] canvas`, (c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let h = 2166136261 >>> 0;
    for (let i = 0; i < data.length; i += 16) {
      h ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h;
  });
}

/**
 * A static server and a browser for one test file, started before its tests and stopped after them:
 * `const env = useBrowser();` then `env.server.url` and `env.browser` inside the tests.
 */
export function useBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}
