// Loads the wasm module; the app mounts itself into #app when it starts.
import init from './pkg/gmplab.js';

init().catch((err) => {
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
