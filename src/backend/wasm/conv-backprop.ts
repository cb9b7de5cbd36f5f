/**
 * Convolution gradients for the wasm backend, built from the kernels wasm runs fast (XNNPACK
 * conv2d, matMul without transposes) plus JS im2col/col2im on the heap.
 *
 * - Conv2DBackpropFilter (missing in tfjs-backend-wasm 4.22): dW[kh,kw,Ci,Co] =
 *   im2col(x)^T [kh*kw*Ci, M] @ dy [M, Co]. The patch matrix is written already transposed, so the
 *   product needs no transpose and its [kh*kw*Ci, Co] result is dW's memory layout. At stride 1
 *   it is built from x's channel planes (one wasm transpose) by block copies; strided ones whose
 *   output is input/stride use stride x stride phase planes and the same copies. Measured alternatives
 *   (ResNet-32 shapes): the transposed-input XNNPACK convolution of docs/wasm-training.md and nine
 *   shifted-window matMuls on heap aliases were both slower; a per-element JS im2col was 3x slower.
 * - Conv2DBackpropInput (wasm's own is a scalar loop, 6-14x slower than the forward conv):
 *   stride 1: dx = conv2d(dy, filter rotated 180 degrees with in/out channels swapped), padded so
 *   that dx has the input's size (one XNNPACK conv); stride > 1: dx = col2im(dy [M, Co] @ W^T
 *   [Co, kh*kw*Ci]), which avoids convolving the mostly-zero stride-dilated dy.
 */
import * as tf from '@tensorflow/tfjs';
import {
  col2imAdd,
  im2colTransposed,
  im2colTransposedFromPhases,
  im2colTransposedFromPlanes,
  phasePlanes,
  type ConvGeometry,
} from './im2col';
import { withContext, type KernelContext, type TensorInfo } from './kernel-context';
import { readEnvironment } from '../../util/environment';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Input-gradient method; `RESCOM_WASM_DX=col2im|conv` forces one (for measurements). */
export type InputGradientMethod = 'auto' | 'conv' | 'col2im';

function inputGradientMethod(): InputGradientMethod {
  return (readEnvironment('RESCOM_WASM_DX', 'conv2DBackpropInput') ?? 'auto') as InputGradientMethod;
}

/** tfjs's conv geometry of an NHWC input [N,H,W,Ci] and HWIO filter [KH,KW,Ci,Co], dilation 1. */
export function channelsLastConvInfo(
  xShape: number[],
  filterShape: number[],
  attrs: Pick<ConvAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

function geometry(kernel: string, xShape: number[], filterShape: number[], attrs: ConvAttrs): ConvGeometry {
  if (attrs.dataFormat === 'NCHW')
    throw new Error(`${kernel} (wasm training kernels): dataFormat must be 'NHWC'; got 'NCHW'`);
  const info = channelsLastConvInfo(xShape, filterShape, attrs);
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

function rows(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth;
}

/** dW [kh, kw, Ci, Co] from x [N, H, W, Ci] and dy [N, OH, OW, Co]. */
export function conv2dBackpropFilter(
  backend: tf.KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: ConvAttrs & { filterShape: number[] },
): TensorInfo {
  const g = geometry('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs);
  const stride1 = g.strideHeight === 1 && g.strideWidth === 1;
  if (stride1) return withContext(backend, (ctx) => filterGradFromPlanes(ctx, x, dy, g, attrs.filterShape));
  const phased =
    g.strideHeight === g.strideWidth &&
    Math.ceil(g.inHeight / g.strideHeight) === g.outHeight &&
    Math.ceil(g.inWidth / g.strideWidth) === g.outWidth;
  if (phased) return withContext(backend, (ctx) => filterGradFromPhases(ctx, x, dy, g, attrs.filterShape));
  return withContext(backend, (ctx) => {
    const m = rows(g);
    const k = g.filterHeight * g.filterWidth * g.inChannels;
    const colT = ctx.zeros([k, m]);
    im2colTransposed(ctx.view(x), ctx.view(colT), g);
    const dy2d = ctx.run('Reshape', { x: dy }, { shape: [m, g.outChannels] });
    const product = ctx.run('BatchMatMul', { a: colT, b: dy2d }, { transposeA: false, transposeB: false });
    return ctx.run('Reshape', { x: product }, { shape: attrs.filterShape });
  });
}

/**
 * Stride 1: channel planes (one wasm transpose), patch rows as block copies, one matMul. (Splitting
 * the product into cache-sized image chunks was measured: no gain.)
 */
function filterGradFromPlanes(
  ctx: KernelContext,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  filterShape: number[],
): TensorInfo {
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const m = rows(g);
  const planes = ctx.run('Transpose', { x }, { perm: [3, 0, 1, 2] });
  const colT = ctx.empty([k, m]);
  im2colTransposedFromPlanes(ctx.view(planes), ctx.view(colT), g);
  const dy2d = ctx.run('Reshape', { x: dy }, { shape: [m, g.outChannels] });
  const product = ctx.run('BatchMatMul', { a: colT, b: dy2d }, { transposeA: false, transposeB: false });
  return ctx.run('Reshape', { x: product }, { shape: filterShape });
}

/** Strided (output = input / stride): phase planes, then the stride-1 block copies. */
function filterGradFromPhases(
  ctx: KernelContext,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  filterShape: number[],
): TensorInfo {
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const m = rows(g);
  const s = g.strideHeight;
  const planes = ctx.run('Transpose', { x }, { perm: [3, 0, 1, 2] });
  const phases = ctx.empty([g.inChannels, s, s, g.batch, g.outHeight, g.outWidth]);
  const colT = ctx.empty([k, m]);
  phasePlanes(ctx.view(planes), ctx.view(phases), g);
  im2colTransposedFromPhases(ctx.view(phases), ctx.view(colT), g);
  const dy2d = ctx.run('Reshape', { x: dy }, { shape: [m, g.outChannels] });
  const product = ctx.run('BatchMatMul', { a: colT, b: dy2d }, { transposeA: false, transposeB: false });
  return ctx.run('Reshape', { x: product }, { shape: filterShape });
}

/** dx [N, H, W, Ci] from dy [N, OH, OW, Co] and the filter [kh, kw, Ci, Co]. */
export function conv2dBackpropInput(
  backend: tf.KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs & { inputShape: number[] },
): TensorInfo {
  const g = geometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
  const method = inputGradientMethod();
  const stride1 = g.strideHeight === 1 && g.strideWidth === 1;
  const convFits = stride1 && Object.values(flippedPadding(g)).every((p) => p >= 0);
  return withContext(backend, (ctx) =>
    (method === 'conv' || method === 'auto') && convFits
      ? inputGradByConv(ctx, dy, filter, g)
      : inputGradByCol2im(ctx, dy, filter, g),
  );
}

/** Padding of dy that makes a stride-1 correlation with the flipped filter produce dx's size. */
function flippedPadding(g: ConvGeometry): { top: number; bottom: number; left: number; right: number } {
  const top = g.filterHeight - 1 - g.padTop;
  const left = g.filterWidth - 1 - g.padLeft;
  return {
    top,
    left,
    bottom: g.inHeight - g.outHeight - top + g.filterHeight - 1,
    right: g.inWidth - g.outWidth - left + g.filterWidth - 1,
  };
}

function inputGradByConv(ctx: KernelContext, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  // dx[h] = sum_i dy[h + padTop - i] W[i] = correlation of dy (padded by kh-1-padTop on top) with the flipped filter.
  const flipped = ctx.run('Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = ctx.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
  const { top, bottom, left, right } = flippedPadding(g);
  const pad = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  return ctx.run('Conv2D', { x: dy, filter: swapped }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] });
}

function inputGradByCol2im(ctx: KernelContext, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  const w2d = ctx.run('Reshape', { x: filter }, { shape: [k, g.outChannels] });
  const dy2d = ctx.run('Reshape', { x: dy }, { shape: [rows(g), g.outChannels] });
  // Transposing the small filter is cheap; matMul with transposeB is ~7x slower on wasm.
  const wT = ctx.run('Transpose', { x: w2d }, { perm: [1, 0] });
  const dcol = ctx.run('BatchMatMul', { a: dy2d, b: wT }, { transposeA: false, transposeB: false });
  const dx = ctx.zeros([g.batch, g.inHeight, g.inWidth, g.inChannels]);
  col2imAdd(ctx.view(dcol), ctx.view(dx), g);
  return dx;
}
