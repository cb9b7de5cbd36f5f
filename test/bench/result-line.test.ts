import test from 'ava';
import { formatResultLine, parseResultLine } from '../../src/bench/result-line';

test('RESULT lines round-trip and NA stands for missing values', (t) => {
  const line = formatResultLine({ resnet32_img_s: 45.678, pytorch_img_s: null, ratio: 0.15226 });
  t.is(line, 'RESULT resnet32_img_s=45.68 pytorch_img_s=NA ratio=0.1523');
  t.deepEqual(parseResultLine(`noise\n${line}\n`), { resnet32_img_s: '45.68', pytorch_img_s: 'NA', ratio: '0.1523' });
});

test('the last RESULT line wins, and a missing one is an error', (t) => {
  t.deepEqual(parseResultLine('RESULT a=1\nRESULT a=2'), { a: '2' });
  t.throws(() => parseResultLine('no result here'), { message: /no line starting with "RESULT "/ });
  t.throws(() => formatResultLine({ 'Bad Key': 1 }), { message: /snake_case/ });
});
