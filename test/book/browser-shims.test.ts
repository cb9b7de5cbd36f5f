// The browser bundle's stand-ins for Node: the POSIX path shim against Node's own path.posix (the
// reference), and the stub modules' message.
import test from 'ava';
import { createHash } from 'node:crypto';
import * as nodePath from 'node:path';
import { createHash as shimCreateHash } from '../../src/book/browser/shims/crypto';
import { Rng } from '../../src/util/rng';
import * as shim from '../../src/book/browser/shims/path';
import { unavailableModule } from '../../src/book/live-bundle';

const cases = ['/a/b/../c', 'a/./b//c/', '../x/../../y', '/', '.', '', 'a/b/c.ts', '/x/y.tar.gz', '/.hidden', 'dir/'];

test('the path shim agrees with Node path.posix on join, normalize, dirname, basename, extname, resolve, relative', (t) => {
  for (const p of cases.filter(Boolean)) {
    t.is(shim.normalize(p), nodePath.posix.normalize(p).replace(/\/$/, '') || (p.startsWith('/') ? '/' : '.'), `normalize ${p}`);
    t.is(shim.dirname(p), nodePath.posix.dirname(p), `dirname ${p}`);
    t.is(shim.basename(p), nodePath.posix.basename(p), `basename ${p}`);
    t.is(shim.extname(p), nodePath.posix.extname(p), `extname ${p}`);
    t.is(shim.resolve('/', p), nodePath.posix.resolve('/', p), `resolve / ${p}`);
  }
  t.is(shim.join('a', '..', '..', 'b', 'c'), nodePath.posix.join('a', '..', '..', 'b', 'c'));
  t.is(shim.join('/x', 'y', '../z'), nodePath.posix.join('/x', 'y', '../z'));
  t.is(shim.resolve('/a/b', '../c', 'd'), nodePath.posix.resolve('/a/b', '../c', 'd'));
  t.is(shim.relative('/a/b/c', '/a/d'), nodePath.posix.relative('/a/b/c', '/a/d'));
  t.is(shim.basename('/a/b.ts', '.ts'), 'b');
});

test('a stubbed Node module throws a one-line error naming the module and the function', async (t) => {
  const source = unavailableModule('node:fs', ['readFileSync']);
  const mod = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as { readFileSync: () => void; default: () => void };
  t.throws(() => mod.readFileSync(), { message: /^node:fs\.readFileSync is not available in the browser \(the live book has no file system/ });
  t.throws(() => new (mod.default as unknown as new () => unknown)(), { message: /^node:fs is not available in the browser/ });
});

test("the bundle's sha256 equals Node's (FIPS 180-4 padding edges, multi-part updates, UTF-8 text)", (t) => {
  const rng = new Rng(3);
  for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_000]) {
    const bytes = Uint8Array.from({ length }, () => rng.int(256));
    t.is(shimCreateHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(bytes).digest('hex'), `${length} bytes`);
  }
  const rows = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 60000).join(',');
  t.is(shimCreateHash('sha256').update(rows).digest('hex'), createHash('sha256').update(rows).digest('hex'));
  t.is(shimCreateHash('sha256').update('héllo ').update('wörld').digest('hex'), createHash('sha256').update('héllo wörld').digest('hex'));
  t.throws(() => shimCreateHash('md5'), { message: /only 'sha256' is available in the browser; got 'md5'/ });
});
