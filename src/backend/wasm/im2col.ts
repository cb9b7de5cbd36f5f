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
  // Writes run along m (contiguous); reads stride by C within one image, which stays in cache.
  for (let n = 0; n < batch; n++) {
    const xImage = n * H * W * C;
    const mImage = n * OH * OW;
    for (let i = 0; i < KH; i++) {
      for (let j = 0; j < KW; j++) {
        // Output columns whose tap (i, j) lands inside the image: owStart <= ow < owEnd.
        const owStart = Math.max(0, Math.ceil((padLeft - j) / SW));
        const owEnd = Math.min(OW, Math.floor((W - 1 + padLeft - j) / SW) + 1);
        for (let c = 0; c < C; c++) {
          const rowBase = ((i * KW + j) * C + c) * M + mImage;
          for (let oh = 0; oh < OH; oh++) {
            const h = oh * SH + i - padTop;
            if (h < 0 || h >= H) continue;
            const src = xImage + h * W * C + (owStart * SW + j - padLeft) * C + c;
            const dst = rowBase + oh * OW;
            const step = SW * C;
            for (let ow = owStart, s = src; ow < owEnd; ow++, s += step) colT[dst + ow] = x[s];
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

/**
 * Stride-1 `colT` (as `im2colTransposed`) from channel planes `xT [Ci, N, H, W]`: row (i, j, c) of
 * image n is the (H, W) plane shifted by (i - padTop, j - padLeft). When OW == W the shifted rows
 * are one contiguous run, so each plane is a single memcpy plus zeroing of the wrapped border
 * columns; otherwise one copy per row. Every element of `colT` is written (no zero-fill needed).
 */
export function im2colTransposedFromPlanes(xT: Float32Array, colT: Float32Array, g: ConvGeometry): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, padTop, padLeft } = g;
  if (g.strideHeight !== 1 || g.strideWidth !== 1) throw new Error('im2colTransposedFromPlanes: strides must be 1');
  const M = N * OH * OW;
  const plane = OH * OW;
  for (let i = 0; i < KH; i++) {
    const dh = i - padTop;
    const oh0 = Math.max(0, -dh);
    const oh1 = Math.min(OH, H - dh);
    for (let j = 0; j < KW; j++) {
      const dw = j - padLeft;
      const ow0 = Math.max(0, -dw);
      const ow1 = Math.min(OW, W - dw);
      const empty = oh1 <= oh0 || ow1 <= ow0;
      if (!empty && OH === H && OW === W) {
        for (let c = 0; c < C; c++) sameSizeShift(xT, colT, ((i * KW + j) * C + c) * M, c * N * H * W, N, H, W, dh, dw);
        continue;
      }
      for (let c = 0; c < C; c++) {
        const row = ((i * KW + j) * C + c) * M;
        for (let n = 0; n < N; n++) {
          const src = (c * N + n) * H * W;
          const dst = row + n * plane;
          if (empty) {
            colT.fill(0, dst, dst + plane);
          } else if (OW === W) {
            const a = oh0 * W + ow0;
            const b = (oh1 - 1) * W + ow1;
            const shift = src + dh * W + dw;
            colT.fill(0, dst, dst + a);
            colT.set(xT.subarray(shift + a, shift + b), dst + a);
            colT.fill(0, dst + b, dst + plane);
            // Zero what wrapped in from the neighbouring row.
            if (dw > 0) for (let oh = oh0; oh < oh1 - 1; oh++) colT.fill(0, dst + oh * W + ow1, dst + oh * W + W);
            else if (dw < 0) for (let oh = oh0 + 1; oh < oh1; oh++) colT.fill(0, dst + oh * W, dst + oh * W + ow0);
          } else {
            colT.fill(0, dst, dst + plane);
            for (let oh = oh0; oh < oh1; oh++) {
              const s = src + (oh + dh) * W + ow0 + dw;
              colT.set(xT.subarray(s, s + (ow1 - ow0)), dst + oh * OW + ow0);
            }
          }
        }
      }
    }
  }
}

/**
 * One (tap, channel) row of `colT` when output and input planes have the same size ('same',
 * stride 1): all N shifted planes are a single contiguous copy; then the cells that read across a
 * row or image border are zeroed with plain loops (few calls: this runs ~kh*kw*C times).
 */
function sameSizeShift(
  xT: Float32Array,
  colT: Float32Array,
  dst: number,
  src: number,
  N: number,
  H: number,
  W: number,
  dh: number,
  dw: number,
): void {
  const plane = H * W;
  const oh0 = Math.max(0, -dh);
  const oh1 = Math.min(H, H - dh);
  const ow0 = Math.max(0, -dw);
  const ow1 = Math.min(W, W - dw);
  const a = oh0 * W + ow0;
  const b = (N - 1) * plane + (oh1 - 1) * W + ow1;
  const shift = dh * W + dw;
  colT.set(xT.subarray(src + a + shift, src + b + shift), dst + a);
  for (let n = 0; n < N; n++) {
    const p = dst + n * plane;
    for (let k = p, end = p + oh0 * W; k < end; k++) colT[k] = 0;
    for (let k = p + oh1 * W, end = p + plane; k < end; k++) colT[k] = 0;
    if (dw !== 0) {
      for (let oh = oh0; oh < oh1; oh++) {
        const r = p + oh * W;
        for (let k = r; k < r + ow0; k++) colT[k] = 0;
        for (let k = r + ow1; k < r + W; k++) colT[k] = 0;
      }
    }
  }
}

/**
 * Strided `colT` (as `im2colTransposed`) from phase planes `xP [Ci, s, s, N, OH, OW]` with
 * xP[c, a, b, n, u, v] = x[n, s*u + a, s*v + b, c] (zero outside x). Tap (i, j) reads input row
 * s*oh + i - padTop = s*(oh + du) + a, i.e. phase plane (a, b) shifted by (du, dv): the same block
 * copies as stride 1. Requires ceil(H / s) == OH and ceil(W / s) == OW (e.g. 'same' or
 * PyTorch padding k // 2 on even sizes).
 */
export function im2colTransposedFromPhases(xP: Float32Array, colT: Float32Array, g: ConvGeometry): void {
  const { batch: N, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: S } = g;
  const { filterHeight: KH, filterWidth: KW, padTop, padLeft } = g;
  const M = N * OH * OW;
  const plane = OH * OW;
  for (let i = 0; i < KH; i++) {
    const a = mod(i - padTop, S);
    const du = Math.floor((i - padTop) / S);
    for (let j = 0; j < KW; j++) {
      const b = mod(j - padLeft, S);
      const dv = Math.floor((j - padLeft) / S);
      for (let c = 0; c < C; c++) {
        const src = ((c * S + a) * S + b) * N * plane;
        const dst = ((i * KW + j) * C + c) * M;
        if (Math.abs(du) >= OH || Math.abs(dv) >= OW) colT.fill(0, dst, dst + M);
        else sameSizeShift(xP, colT, dst, src, N, OH, OW, du, dv);
      }
    }
  }
}

/** Fills `xP [C, s, s, N, OH, OW]` (see im2colTransposedFromPhases) from channel planes `xT [C, N, H, W]`. */
export function phasePlanes(xT: Float32Array, xP: Float32Array, g: ConvGeometry): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: S } = g;
  const plane = OH * OW;
  for (let c = 0; c < C; c++) {
    for (let a = 0; a < S; a++) {
      for (let b = 0; b < S; b++) {
        const base = ((c * S + a) * S + b) * N * plane;
        for (let n = 0; n < N; n++) {
          const srcPlane = (c * N + n) * H * W;
          const dstPlane = base + n * plane;
          for (let u = 0; u < OH; u++) {
            const h = S * u + a;
            const dstRow = dstPlane + u * OW;
            if (h >= H) {
              for (let v = 0; v < OW; v++) xP[dstRow + v] = 0;
              continue;
            }
            const srcRow = srcPlane + h * W + b;
            for (let v = 0, w = b; v < OW; v++, w += S) xP[dstRow + v] = w < W ? xT[srcRow + v * S] : 0;
          }
        }
      }
    }
  }
}

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}
