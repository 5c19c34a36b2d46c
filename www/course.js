// The sample course page's side of the embed API: it logs what the lessons report and sends
// commands to the second one. A real course page would record quiz scores and challenge passes.
const log = document.getElementById('log');
const seen = new Map();

window.addEventListener('message', (e) => {
  if (e.origin !== window.location.origin) return;
  const m = e.data;
  if (!m || m.source !== 'gmplab' || typeof m.type !== 'string') return;
  const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
  const who = frame ? frame.id : 'unknown';
  // Auto-height: a frame marked data-autoheight takes the height the lesson reports.
  if (m.type === 'resize' && frame?.dataset.autoheight !== undefined && Number.isFinite(m.height)) {
    frame.style.height = `${Math.min(Math.max(m.height, 200), 20000)}px`;
  }
  const key = `${who}:${m.type}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  if (m.type === 'resize' && seen.get(key) > 1) return;
  if (m.type === 'step' && seen.get(key) > 1 && seen.get(key) % 10 !== 0 && who === 'lesson-drop') return;
  const li = document.createElement('li');
  li.dataset.type = m.type;
  li.dataset.from = who;
  li.textContent = `${who}: ${m.type}` + (m.step !== undefined ? ` (step ${m.step})` : '');
  log.prepend(li);
});

for (const b of document.querySelectorAll('button[data-command]')) {
  b.addEventListener('click', () => {
    const frame = document.getElementById(b.dataset.target);
    frame?.contentWindow?.postMessage(
      { source: 'gmplab-host', type: 'command', command: b.dataset.command },
      window.location.origin,
    );
  });
}
