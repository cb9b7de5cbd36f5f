import test from 'ava';
import { exponentialProfile, pairFrequency } from '../../src/analysis';

test("paper's heat map: 10 classes, IF 10: cell (1,2) = 0.77, 45 of 100 cells below 0.1, span 100", (t) => {
  const pf = pairFrequency({ numClasses: 10, imbalanceFactor: 10 });
  // Explicit 1-based reference: r_i = IF^(-(i-1)/(C-1)).
  for (let i = 1; i <= 10; i++) {
    for (let j = 1; j <= 10; j++) {
      const expected = 10 ** (-(i - 1) / 9) * 10 ** (-(j - 1) / 9);
      t.true(Math.abs(pf.matrix[i - 1][j - 1] - expected) < 1e-12, `cell (${i},${j})`);
    }
  }
  t.is(Math.round(pf.matrix[0][1] * 100) / 100, 0.77);
  t.is(pf.threshold, 0.1);
  // r_i r_j = 10^(-(i+j-2)/9) < 0.1 exactly when i + j >= 12: 9 + 8 + ... + 1 = 45 cells.
  t.is(pf.cellsBelowThreshold, 45);
  t.true(Math.abs(pf.span - 100) < 1e-9);
  t.is(pf.profile[9], 0.1);
});

test('profile ends at 1 / IF, and bad options are named', (t) => {
  const r = exponentialProfile({ numClasses: 100, imbalanceFactor: 100 });
  t.is(r[0], 1);
  t.true(Math.abs(r[99] - 0.01) < 1e-15);
  t.is(pairFrequency({ numClasses: 3, imbalanceFactor: 1 }).cellsBelowThreshold, 0);
  t.throws(() => pairFrequency({ numClasses: 1 }), {
    message: /pairFrequency: numClasses must be an integer >= 2; got 1/,
  });
  t.throws(() => pairFrequency({ imbalanceFactor: 0.5 }), {
    message: /imbalanceFactor must be a number >= 1; got 0.5/,
  });
});
