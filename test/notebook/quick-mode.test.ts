import test from 'ava';
import { budget, quickMode } from '../../src/notebook';

test('quick mode follows RESCOM_QUICK and budget picks accordingly', (t) => {
  t.false(quickMode({}));
  t.false(quickMode({ RESCOM_QUICK: '0' }));
  t.false(quickMode({ RESCOM_QUICK: 'false' }));
  t.true(quickMode({ RESCOM_QUICK: '1' }));
  t.is(budget({ quick: 2, full: 200, env: { RESCOM_QUICK: '1' } }), 2);
  t.is(budget({ quick: 2, full: 200, env: {} }), 200);
  t.throws(() => budget({ quick: 1 } as never), { message: /budget: options must have 'quick' and 'full'/ });
});
