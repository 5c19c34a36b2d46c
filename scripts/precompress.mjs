// Writes brotli (.br) and gzip (.gz) copies beside the files a page load fetches (the wasm, the JS
// and the CSS), so a static server can send them with Content-Encoding instead of compressing on
// every request (scripts/serve.mjs does; see the README's hosting section for other servers). Also
// writes pkg/manifest.json with the wasm's uncompressed size, for the loading progress bar.
//
//   node scripts/precompress.mjs [www]
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const root = process.argv[2] ?? new URL('../www', import.meta.url).pathname;
const WANT = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.svg']);
const files = [root, join(root, 'pkg')]
  .flatMap((dir) => {
    try {
      return readdirSync(dir).map((f) => join(dir, f));
    } catch {
      return [];
    }
  })
  .filter((f) => WANT.has(extname(f)) && statSync(f).isFile());

for (const f of files) {
  const body = readFileSync(f);
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: extname(f) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(body, { level: 9 });
  writeFileSync(`${f}.br`, br);
  writeFileSync(`${f}.gz`, gz);
  if (extname(f) === '.wasm') {
    writeFileSync(join(root, 'pkg/manifest.json'), JSON.stringify({ wasm: 'gmplab_bg.wasm', bytes: body.length }) + '\n');
    console.log(`[precompress] ${f}: ${body.length} bytes, ${gz.length} gzip, ${br.length} brotli`);
  }
}
