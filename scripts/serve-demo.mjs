// Serves the built demo on localhost, cross-origin isolated so threaded WASM
// can load, under a strict Content-Security-Policy, and prints its URL.
// node:http only, no dependency.
//
//   npm start                                  # builds, then runs this
//   node scripts/serve-demo.mjs [--port 8080] [--host 127.0.0.1] [--root dist] [--frame-ancestors none|self]
//
// What it serves, from the build output (dist/ by default):
//   /demo/            the page and its bundles      (npm run build:demo)
//   /trainer-worker/  the worker and its .wasm files
//   /cdn/             the widgets' one-file build, which /demo/embed.html
//                     loads as a course author's page would
//   /mnist/           MNIST as gzip IDX files, sent as they are (the worker
//                     decompresses them; no Content-Encoding, so the download
//                     progress has a Content-Length to count against)
// `--port 0` picks a free port. A busy default port moves to the next free one.
// `--frame-ancestors self` lets this origin's own pages frame these pages (the
// default, `none`, lets no page frame them): a test harness that lays a page
// out in a 390 px iframe, where its browser window cannot be that narrow.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const root = resolve(option('root', 'dist'));
const host = option('host', '127.0.0.1');
const requestedPort = Number(option('port', process.env.PORT ?? '8080'));
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
  console.error(`serve-demo: --port must be an integer 0..65535, got ${option('port', process.env.PORT)}`);
  process.exit(2);
}

const frameAncestors = option('frame-ancestors', 'none');
if (frameAncestors !== 'none' && frameAncestors !== 'self') {
  console.error(`serve-demo: --frame-ancestors must be none or self, got ${frameAncestors}`);
  process.exit(2);
}

/** The folders of the build the demo needs, and the build step that makes each. */
const FOLDERS = { demo: 'npm run build:demo', 'trainer-worker': 'npm run build:demo', cdn: 'npm run build:demo', mnist: 'npm run build:mnist' };
const missing = Object.entries(FOLDERS).filter(([dir]) => !existsSync(join(root, dir)));
if (missing.length) {
  console.error(`serve-demo: ${missing.map(([d]) => join(root, d)).join(', ')} missing; run ${[...new Set(missing.map(([, cmd]) => cmd))].join(' and ')} first`);
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page's policy: scripts only from this origin, WebAssembly compilation
 * allowed ('wasm-unsafe-eval'), no inline script, no eval, and no inline
 * style either (the widgets style through constructed stylesheets and set
 * their bar widths and matrix colours through the CSSOM, which CSP allows).
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors '${frameAncestors}'`,
].join('; ');

/**
 * The worker's policy (a worker takes the policy sent with its own script):
 * the same, plus `blob:` scripts and workers, which tfjs's threaded WASM
 * backend needs for its pthreads (Emscripten starts each thread from a blob
 * URL and importScripts() a blob of its own factory).
 */
const WORKER_CSP = PAGE_CSP.replace("script-src 'self' 'wasm-unsafe-eval'", "script-src 'self' 'wasm-unsafe-eval' blob:").replace("worker-src 'self'", "worker-src 'self' blob:");

/** Headers on every response: cross-origin isolation (COOP + COEP) and hardening. */
function securityHeaders(path) {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': path.startsWith('/trainer-worker/') ? WORKER_CSP : PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The file a URL path names, or null when it is outside the served folders. */
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(root, path));
  // Judge the path after `..` is resolved: /demo/../index.js must not reach dist/index.js.
  const rel = relative(root, file);
  if (rel.startsWith('..') || isAbsolute(rel) || !(rel.split(sep)[0] in FOLDERS)) return null;
  return file;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = securityHeaders(url.pathname);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.pathname === '/' || url.pathname === '/demo') {
    res.writeHead(302, { ...headers, Location: `/demo/${url.search}` }).end();
    return;
  }
  const file = fileFor(url.pathname);
  let stat;
  try {
    stat = file ? statSync(file) : null;
  } catch {
    stat = null;
  }
  if (!file || !stat?.isFile()) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found: ${url.pathname}\n`);
    return;
  }
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const common = { ...headers, ETag: etag, 'Cache-Control': 'no-cache' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common).end();
    return;
  }
  res.writeHead(200, { ...common, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
});

let port = requestedPort;
server.on('error', (error) => {
  // The default port is taken: try the next few, so a second `npm start` still works.
  if (error.code === 'EADDRINUSE' && requestedPort !== 0 && !args.includes('--port') && port < requestedPort + 10) {
    port += 1;
    server.listen(port, host);
    return;
  }
  console.error(`serve-demo: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const address = server.address();
  const shown = host === '127.0.0.1' || host === '::1' ? 'localhost' : host;
  console.log(`digit-classifier demo: http://${shown}:${address.port}/demo/`);
  console.log(`  framework example: http://${shown}:${address.port}/demo/framework-example.html`);
  console.log(`  one-tag embed: http://${shown}:${address.port}/demo/embed.html`);
  console.log(`  serving ${root} (COOP same-origin, COEP require-corp, CSP script-src 'self' 'wasm-unsafe-eval'); Ctrl+C stops`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
