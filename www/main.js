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
