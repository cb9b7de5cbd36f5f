/**
 * A plotly figure of images in a grid (one heatmap for grey images, one `image` trace for colour),
 * for the data chapters of the notebook series. Pure: returns the figure spec.
 * (Lives here until src/viz has an equivalent; it only depends on the image type of src/data.)
 */
import type { HwcImage } from '../data/types';

export interface ImageGridOptions {
  /** Images of equal size and channel count (1 or 3); uint8 0..255 or float (scaled per image to 0..255). */
  images: HwcImage[];
  /** Images per row; default min(images, 8). */
  columns?: number;
  /** One caption per image, shown above it; default none. */
  captions?: string[];
  title?: string;
  /** Pixels of each image on screen; default 64. */
  cellSize?: number;
}

/** Plotly figure `{ data, layout }` tiling the images with a 2-pixel gap. */
export function imageGridFigure(options: ImageGridOptions): {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
} {
  const fn = 'imageGridFigure';
  const { images } = options;
  if (!Array.isArray(images) || images.length === 0)
    throw new Error(
      `${fn}: images must be a non-empty array; got ${Array.isArray(images) ? 'an empty array' : typeof images}`,
    );
  const { height, width, channels } = images[0];
  images.forEach((im, i) => {
    if (im.height !== height || im.width !== width || im.channels !== channels) {
      throw new Error(
        `${fn}: images[${i}] is ${im.height}x${im.width}x${im.channels}; expected ${height}x${width}x${channels} like images[0]`,
      );
    }
    if (im.data.length !== height * width * channels)
      throw new Error(`${fn}: images[${i}].data has ${im.data.length} values; expected ${height * width * channels}`);
  });
  if (channels !== 1 && channels !== 3) throw new Error(`${fn}: images must have 1 or 3 channels; got ${channels}`);
  const columns = options.columns ?? Math.min(images.length, 8);
  if (!Number.isInteger(columns) || columns < 1)
    throw new Error(`${fn}: columns must be a positive integer; got ${columns}`);
  if (options.captions && options.captions.length !== images.length) {
    throw new Error(`${fn}: captions must have one entry per image (${images.length}); got ${options.captions.length}`);
  }
  const gap = 2;
  const rows = Math.ceil(images.length / columns);
  const cell = options.cellSize ?? 80;
  // 'Pullover (359)' -> two lines, so that neighbouring captions do not overlap at this cell size.
  const captions = (options.captions ?? []).map((text) => text.replace(/ \(/, '<br>('));
  const lines = captions.some((t) => t.includes('<br>')) ? 2 : 1;
  const captionPx = options.captions ? 14 * lines + 6 : 0;
  // Captions sit above their image inside the plot: each row gets room for them (in image pixels).
  const captionRows = Math.ceil((captionPx * width) / cell);
  const rowHeight = height + gap + captionRows;
  const H = rows * rowHeight - gap;
  const W = columns * (width + gap) - gap;
  // Grey: a heatmap with NaN gaps. Colour: an image trace with white gaps.
  const grid: (number | null)[][] | number[][][] = Array.from({ length: H }, () =>
    Array.from({ length: W }, () => (channels === 1 ? null : [255, 255, 255])),
  ) as (number | null)[][] | number[][][];
  images.forEach((image, index) => {
    const scaled = toByteRange(image.data);
    const top = Math.floor(index / columns) * rowHeight + captionRows;
    const left = (index % columns) * (width + gap);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const base = (y * width + x) * channels;
        if (channels === 1) (grid as (number | null)[][])[top + y][left + x] = scaled[base];
        else (grid as number[][][])[top + y][left + x] = [scaled[base], scaled[base + 1], scaled[base + 2]];
      }
    }
  });
  const annotations = captions.map((text, index) => ({
    text,
    showarrow: false,
    x: (index % columns) * (width + gap) + width / 2,
    y: Math.floor(index / columns) * rowHeight + captionRows - 1,
    yanchor: 'bottom',
    font: { size: 10 },
  }));
  const trace =
    channels === 1
      ? {
          type: 'heatmap',
          z: grid,
          colorscale: 'Greys',
          reversescale: true,
          zmin: 0,
          zmax: 255,
          showscale: false,
          hoverinfo: 'skip',
        }
      : { type: 'image', z: grid, hoverinfo: 'skip' };
  return {
    data: [trace],
    layout: {
      title: { text: options.title ?? '' },
      width: Math.max(300, columns * cell + 40),
      height: rows * (cell + captionPx) + 80,
      margin: { l: 20, r: 20, t: 50, b: 20 },
      xaxis: { visible: false, constrain: 'domain' },
      yaxis: { visible: false, autorange: 'reversed', scaleanchor: 'x' },
      annotations,
    },
  };
}

/** uint8 data as is; float data rescaled per image from [min, max] to [0, 255] (normalised views). */
function toByteRange(data: ArrayLike<number>): number[] {
  if (data instanceof Uint8Array) return Array.from(data);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    min = Math.min(min, data[i]);
    max = Math.max(max, data[i]);
  }
  const span = max - min || 1;
  return Array.from(data, (v) => Math.round((255 * (v - min)) / span));
}
