import test from 'ava';
import { getConfig } from '../../src/configs';
import { demoConfig, shortBudgetOverrides } from '../../src/train';

test('a demo shorter than the warm-up shortens the warm-up instead of failing validation', (t) => {
  const warmup = getConfig('fashion-mnist-lt').warmupEpochs;
  t.true(warmup >= 1, 'the default config has a warm-up, so a 1-epoch run needs the fix');
  t.throws(() => demoConfig('rescom', 1), { message: /warmupEpochs.*must be < epochs/ });
  const overrides = shortBudgetOverrides(1, []);
  t.deepEqual(overrides, [['warmupEpochs', '0']]);
  t.is(demoConfig('rescom', 1, overrides).warmupEpochs, 0);
});

test('long enough budgets and explicit warm-ups are left alone', (t) => {
  const warmup = getConfig('fashion-mnist-lt').warmupEpochs;
  t.deepEqual(shortBudgetOverrides(warmup + 1, [['lr', '0.1']]), [['lr', '0.1']]);
  t.deepEqual(shortBudgetOverrides(1, [['warmupEpochs', '0']]), [['warmupEpochs', '0']]);
});
