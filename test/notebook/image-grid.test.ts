import test from 'ava';
import { imageGridFigure } from '../../src/notebook';

const grey = (values: number[]) => ({ data: Uint8Array.from(values), height: 2, width: 2, channels: 1 });

test('imageGridFigure tiles grey images row by row with 2-pixel null gaps', (t) => {
  const fig = imageGridFigure({
    images: [grey([1, 2, 3, 4]), grey([5, 6, 7, 8]), grey([9, 10, 11, 12])],
    columns: 2,
    captions: ['a', 'b', 'c'],
  });
  const z = fig.data[0].z as (number | null)[][];
  // 2 rows of 2x2 images, a 2-pixel gap between columns and rows, and above each row one pixel row
  // for its captions (20 px of caption at 80 px per 2-pixel image): 8 x 6.
  t.is(z.length, 8);
  t.is(z[0].length, 6);
  t.deepEqual(z[0], [null, null, null, null, null, null]);
  t.deepEqual(z[1], [1, 2, null, null, 5, 6]);
  t.deepEqual(z[2], [3, 4, null, null, 7, 8]);
  t.deepEqual(z[3], [null, null, null, null, null, null]);
  t.deepEqual(z[6], [9, 10, null, null, null, null]);
  t.is(fig.data[0].type, 'heatmap');
  const annotations = fig.layout.annotations as { text: string; x: number; y: number }[];
  t.deepEqual(
    annotations.map((a) => [a.text, a.x, a.y]),
    [
      ['a', 1, 0],
      ['b', 5, 0],
      ['c', 1, 5],
    ],
  );
  // Every caption sits on a row without pixels: it cannot overprint an image.
  for (const a of annotations)
    t.true(
      z[a.y].every((v) => v === null),
      `caption row ${a.y} is empty`,
    );
});

test('imageGridFigure puts a count in parentheses on a second caption line', (t) => {
  const fig = imageGridFigure({ images: [grey([1, 2, 3, 4])], captions: ['Pullover (359)'] });
  t.is((fig.layout.annotations as { text: string }[])[0].text, 'Pullover<br>(359)');
});

test('imageGridFigure rescales float images per image and draws colour images as an image trace', (t) => {
  const float = { data: Float32Array.from([-1, 0, 1, 1]), height: 2, width: 2, channels: 1 };
  t.deepEqual((imageGridFigure({ images: [float] }).data[0].z as number[][]).slice(0, 2), [
    [0, 128],
    [255, 255],
  ]);
  const rgb = { data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]), height: 2, width: 2, channels: 3 };
  const fig = imageGridFigure({ images: [rgb] });
  t.is(fig.data[0].type, 'image');
  t.deepEqual((fig.data[0].z as number[][][])[1], [
    [0, 0, 255],
    [9, 9, 9],
  ]);
});

test('imageGridFigure names what is wrong with its input', (t) => {
  t.throws(() => imageGridFigure({ images: [] }), { message: /imageGridFigure: images must be a non-empty array/ });
  t.throws(
    () =>
      imageGridFigure({
        images: [grey([1, 2, 3, 4]), { ...grey([1, 2, 3, 4]), width: 1, data: Uint8Array.from([1, 2]) }],
      }),
    {
      message: /images\[1\] is 2x1x1; expected 2x2x1/,
    },
  );
  t.throws(() => imageGridFigure({ images: [grey([1, 2, 3, 4])], captions: ['a', 'b'] }), {
    message: /captions must have one entry per image \(1\); got 2/,
  });
});
