// Loads the wasm module with a progress bar (on a slow connection the download is most of the wait);
// the app mounts itself into #app when it starts.
import init from './pkg/gmplab.js';

const WASM = new URL('./pkg/gmplab_bg.wasm', import.meta.url);

/** Shows "Downloading the simulator: 0.4 of 2.7 MB" under the splash. */
function progress(done, total) {
  const bar = document.getElementById('load-progress');
  const text = document.getElementById('load-text');
  if (!bar || !text) return;
  const mb = (n) => (n / 1e6).toFixed(1);
  const zh = (document.documentElement.lang || '').startsWith('zh') || /[?&]lang=zh/.test(location.search);
  if (total > 0) {
    bar.max = total;
    bar.value = Math.min(done, total);
    text.textContent = zh ? `正在下载模拟器:${mb(done)} / ${mb(total)} MB` : `Downloading the simulator: ${mb(done)} of ${mb(total)} MB`;
  } else {
    bar.removeAttribute('value');
    text.textContent = zh ? `正在下载模拟器:${mb(done)} MB` : `Downloading the simulator: ${mb(done)} MB`;
  }
}

/** Fetches the wasm, counting bytes as they arrive, and hands the browser a Response to compile. The
 * total is the uncompressed size from pkg/manifest.json (what the stream counts, whatever encoding
 * the server used); without it the bar shows bytes only. */
async function fetchWasm() {
  progress(0, 0);
  const total = await fetch(new URL('./pkg/manifest.json', import.meta.url))
    .then((r) => (r.ok ? r.json() : {}))
    .then((m) => Number(m.bytes) || 0)
    .catch(() => 0);
  const res = await fetch(WASM);
  if (!res.ok || !res.body) return res;
  // One copy of the stream is counted for the bar, the other compiles as it arrives.
  const [counted, compiled] = res.body.tee();
  (async () => {
    const reader = counted.getReader();
    let done = 0;
    progress(0, total);
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      done += value.length;
      progress(done, total);
    }
    const text = document.getElementById('load-text');
    if (text) text.textContent = /[?&]lang=zh/.test(location.search) ? '正在启动…' : 'Starting…';
  })().catch(() => {});
  return new Response(compiled, { headers: { 'content-type': 'application/wasm' } });
}

init({ module_or_path: fetchWasm() }).catch((err) => {
  const app = document.getElementById('app');
  if (!app) return;
  const panel = document.createElement('div');
  panel.className = 'crash-panel';
  panel.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = 'GMP Lab could not start. ';
  const detail = document.createElement('span');
  detail.textContent = 'This browser may not support WebAssembly, or the page did not finish loading. ' + String(err);
  panel.append(title, detail);
  app.replaceChildren(panel);
});

// The crash panel's "Copy report" button (the engine has stopped by then, so this lives here):
// the error, the page's address (its state) and the browser, ready to paste into a bug report.
document.addEventListener('click', (e) => {
  if (e.target instanceof Element && e.target.closest('[data-reload]')) {
    // The address bar and localStorage hold the lesson, parameters and program: a reload resumes.
    location.reload();
    return;
  }
  const button = e.target instanceof Element ? e.target.closest('[data-copy-report]') : null;
  if (!button) return;
  const details = button.parentElement?.querySelector('pre')?.textContent ?? '';
  const report = `GMP Lab error\n${details}\n\nPage: ${location.href}\nBrowser: ${navigator.userAgent}\n`;
  navigator.clipboard?.writeText(report).then(
    () => { button.textContent = 'Copied'; },
    () => { button.textContent = 'Copy failed: select the details instead'; },
  );
});
