/**
 * im2col / col2im for NHWC convolutions, written in plain JS on the wasm heap (the loops are
 * memory-bound copies; V8 runs them about as fast as wasm would and they need no transposes).
 *
 * Geometry: output position m = (n, oh, ow) reads input row h = oh*sH + i - padTop and column
 * w = ow*sW + j - padLeft for kernel tap (i, j); out-of-range taps are zero padding.
 */

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Transposed patch matrix `colT [kh*kw*Ci, M]` (row r = (i*kw + j)*Ci + c, M = N*OH*OW), so that
 * `colT @ dy[M, Co]` is the filter gradient laid out as [kh, kw, Ci, Co] without any transpose
 * (wasm's matMul with transposeA is ~10x slower than without). `colT` must be zero-filled.
 * Work is blocked per image so that the image stays in cache while its columns are written.
 */
export function im2colTransposed(x: Float32Array, colT: Float32Array, g: ConvGeometry): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, padTop, padLeft } = g;
  const M = batch * OH * OW;
  for (let n = 0; n < batch; n++) {
    const xImage = n * H * W * C;
    const mImage = n * OH * OW;
    for (let i = 0; i < KH; i++) {
      for (let j = 0; j < KW; j++) {
        const rowBase = (i * KW + j) * C;
        for (let oh = 0; oh < OH; oh++) {
          const h = oh * SH + i - padTop;
          if (h < 0 || h >= H) continue;
          const xRow = xImage + h * W * C;
          const mRow = mImage + oh * OW;
          for (let ow = 0; ow < OW; ow++) {
            const w = ow * SW + j - padLeft;
            if (w < 0 || w >= W) continue;
            const src = xRow + w * C;
            let dst = rowBase * M + mRow + ow;
            for (let c = 0; c < C; c++) {
              colT[dst] = x[src + c];
              dst += M;
            }
          }
        }
      }
    }
  }
}

/**
 * Scatter-adds a patch-gradient matrix `dcol [M, kh*kw*Ci]` (row m, column (i*kw + j)*Ci + c)
 * back into `dx [N, H, W, Ci]` (must be zero-filled): the input gradient of a convolution, for
 * any stride, without the zero-dilated `dy` that a transposed convolution would need.
 */
export function col2imAdd(dcol: Float32Array, dx: Float32Array, g: ConvGeometry): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, padTop, padLeft } = g;
  const rowLength = KH * KW * C;
  let m = 0;
  for (let n = 0; n < batch; n++) {
    const xImage = n * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, m++) {
        const colRow = m * rowLength;
        for (let i = 0; i < KH; i++) {
          const h = oh * SH + i - padTop;
          if (h < 0 || h >= H) continue;
          for (let j = 0; j < KW; j++) {
            const w = ow * SW + j - padLeft;
            if (w < 0 || w >= W) continue;
            const dst = xImage + (h * W + w) * C;
            const src = colRow + (i * KW + j) * C;
            for (let c = 0; c < C; c++) dx[dst + c] += dcol[src + c];
          }
        }
      }
    }
  }
}
