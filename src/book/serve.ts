#!/usr/bin/env node
/**
 * `npm run book:serve [-- --port 8000] [--dir book] [--host 127.0.0.1]`: serves the book's folder
 * over HTTP so that its live cells can load TensorFlow.js's wasm and the embedded data (a file://
 * page cannot). A plain static server, nothing more: any other one (python3 -m http.server, nginx)
 * serves the book as well, as long as it sends .wasm as application/wasm.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  // Served as bytes: a Content-Encoding would make the browser gunzip the data files before the page checks their sha256.
  '.gz': 'application/octet-stream',
  '.ipynb': 'application/x-ipynb+json',
};

/** A request handler serving `root` (GET/HEAD only, no listing, nothing outside `root`). */
export function staticHandler(root: string): http.RequestListener {
  const base = path.resolve(root);
  return (request, response) => {
    const send = (status: number, text: string) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'only GET and HEAD');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://book').pathname);
    } catch {
      return send(400, 'bad URL');
    }
    let file = path.join(base, pathname);
    if (file !== base && !file.startsWith(base + path.sep)) return send(403, 'outside the book');
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return send(404, `not found: ${pathname}`);
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': fs.statSync(file).size,
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') return response.end();
    fs.createReadStream(file).pipe(response);
  };
}

/** Starts the server; resolves with it once listening (port 0: any free port). */
export function serveBook(o: { dir: string; port: number; host?: string }): Promise<http.Server> {
  if (!fs.existsSync(path.join(o.dir, 'index.html'))) {
    return Promise.reject(new Error(`serveBook: '${o.dir}' has no index.html; build the book with npm run book`));
  }
  const server = http.createServer(staticHandler(o.dir));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve(server));
  });
}

async function main(argv: string[]): Promise<number> {
  const usage = 'usage: npm run book:serve -- [--port 8000] [--dir book] [--host 127.0.0.1]';
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '8000' }, dir: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, help: { type: 'boolean', default: false } } }));
  } catch (error) {
    console.error(`book:serve: ${(error as Error).message}. ${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`book:serve: --port must be an integer in 0..65535; got '${values.port}'`);
    return 2;
  }
  const dir = values.dir ?? path.resolve(__dirname, '..', '..', 'book');
  try {
    const server = await serveBook({ dir, port, host: values.host });
    const address = server.address() as { port: number };
    console.log(`book:serve: serving ${dir} at http://${values.host === '0.0.0.0' ? 'localhost' : values.host}:${address.port}/ (Ctrl+C stops)`);
    return await new Promise<number>(() => undefined);
  } catch (error) {
    console.error(`book:serve: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
