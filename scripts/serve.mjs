// A small static file server for www/ on 127.0.0.1, with the headers a static host should send
// (see docs/embedding.md and the README's hosting section): correct MIME types (application/wasm for
// streaming compilation), the Content-Security-Policy, no caching of the app shell, and the brotli or
// gzip copy scripts/build-web.sh writes beside a file when the browser accepts it. No dependencies.
//
//   node scripts/serve.mjs [--port N] [--root DIR]
// Prints "GMP Lab: http://127.0.0.1:N/" once it listens. Port 0 picks a free port.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const root = resolve(opt('--root', new URL('../www', import.meta.url).pathname));
const port = Number(opt('--port', process.env.PORT ?? 8080));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info || !info.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    // A precompressed copy (scripts/precompress.mjs) when the browser accepts it: brotli, then gzip.
    const accepts = String(req.headers['accept-encoding'] ?? '');
    let encoding = null;
    let sendFile = file;
    for (const [name, ext] of [['br', '.br'], ['gzip', '.gz']]) {
      if (!new RegExp(`\\b${name}\\b`).test(accepts)) continue;
      const copy = await stat(file + ext).catch(() => null);
      if (copy && copy.isFile() && copy.mtimeMs >= info.mtimeMs) {
        encoding = name;
        sendFile = file + ext;
        break;
      }
    }
    const body = await readFile(sendFile);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...(encoding ? { 'content-encoding': encoding } : {}),
      'content-length': body.length,
      vary: 'Accept-Encoding',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (e) {
    res.writeHead(400).end('bad request');
  }
});

server.on('error', (e) => {
  console.error(`GMP Lab: cannot listen on 127.0.0.1:${port}: ${e.message}` +
    (e.code === 'EADDRINUSE' ? ' (set PORT=... or pass --port N, or --port 0 for any free port)' : ''));
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`GMP Lab: http://127.0.0.1:${server.address().port}/`);
});
