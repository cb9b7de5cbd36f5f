import test from 'ava';
import { claim, claimRange, claimTrue, formatClaimNumber } from '../../src/notebook/claim';

test('claim passes within the tolerance, prints one line and returns the value', (t) => {
  const lines: string[] = [];
  t.is(claim('about 51.5 images', 51.7, 51.5, 0.5, { print: (l) => lines.push(l) }), 51.7);
  t.deepEqual(lines, ['CLAIM OK: about 51.5 images (51.7, stated 51.5 ± 0.5)']);
});

test('claim throws outside the tolerance, naming the text and both numbers', (t) => {
  const error = t.throws(() => claim('about 51.5 images', 52.1, 51.5, 0.5, { print: () => {} }));
  t.regex(error!.message, /about 51\.5 images.*52\.1.*51\.5/);
  t.throws(() => claim('nan', Number.NaN, 0, 1), { message: /value must be a finite number/ });
  t.throws(() => claim('neg tol', 1, 1, -1), { message: /tol must be >= 0/ });
  t.throws(() => claim('', 1, 1, 0), { message: /text must be/ });
});

test('claimRange and claimTrue', (t) => {
  const lines: string[] = [];
  const print = (l: string) => lines.push(l);
  t.is(claimRange('absent from 55-65%', 0.59, 0.55, 0.65, { print }), 0.59);
  t.throws(() => claimRange('absent from 55-65%', 0.7, 0.55, 0.65, { print }), { message: /absent from 55-65%.*0\.7/ });
  t.throws(() => claimRange('bad range', 1, 2, 1), { message: /lo must be <= hi/ });
  claimTrue('A beats B', 2 > 1, '2 vs 1', { print });
  t.throws(() => claimTrue('A beats B', 1 > 2, '1 vs 2', { print }), { message: /A beats B": 1 vs 2/ });
  t.deepEqual(lines, ['CLAIM OK: absent from 55-65% (0.59, stated 0.55..0.65)', 'CLAIM OK: A beats B (2 vs 1)']);
});

test('formatClaimNumber keeps five significant digits and switches to exponents for extremes', (t) => {
  t.is(formatClaimNumber(0.123456), '0.12346');
  t.is(formatClaimNumber(1e-6), '1.000e-6');
  t.is(formatClaimNumber(0), '0');
});
