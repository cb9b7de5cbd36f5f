/**
 * The optional pixel addon (native/pixels/rescom_pixels.cc, built by scripts/build-native.sh where a
 * C++ compiler is present): the pixel loops of the 8-bit augmentations in C++, giving exactly the
 * values of their JS versions (same operations, precision and order), several times faster. The
 * JS loops run when it is absent or turned off (`RESCOM_PIXELS=0`); tests compare the two bit for
 * bit (test/data/native-pixels.test.ts).
 *
 * Images are HWC uint8. `tables` is a Uint8Array(768) of per-channel value maps still to apply
 * (channel c's at [256 c, 256 c + 256)), or null for none.
 */
import { nativeAddonSwitch, requireNativeAddon } from '../../util/native-addon';

export interface PixelAddon {
  /** resizeImage(cropImage(src, box), outH x outW), mirrored left-right when flip is 1, into out [outH, outW, C]. */
  resize(src: Uint8Array, inH: number, inW: number, C: number, top: number, left: number, boxH: number, boxW: number, outH: number, outW: number, flip: 0 | 1, out: Uint8Array): void;
  /** Pillow's rounded mean luma of the RGB values after `tables`. */
  meanLuma(src: Uint8Array, tables: Uint8Array | null): number;
  /** Per-channel histograms [3 x 256] of the RGB values after `tables`, into out. */
  histograms(src: Uint8Array, tables: Uint8Array | null, out: Uint32Array): void;
  /** ImageEnhance.Color (blend with the luma) of the RGB values after `tables`, into out. */
  color(src: Uint8Array, tables: Uint8Array | null, factor: number, out: Uint8Array): void;
  /** Pillow's luma of the RGB values after `tables`, replicated to 3 channels, into out. */
  grey(src: Uint8Array, tables: Uint8Array | null, out: Uint8Array): void;
  /** The RGB values after `tables`, written into out from offset. */
  applyTables(src: Uint8Array, tables: Uint8Array | null, out: Uint8Array, offset: number): void;
  /** affineTransform (geometric.ts) of a uint8 image; interpolation 0 nearest, 1 bilinear, 2 bicubic. */
  affine(src: Uint8Array, H: number, W: number, C: number, matrix: Float64Array, interpolation: 0 | 1 | 2, fill: Float32Array, out: Uint8Array): void;
  /** ImageEnhance.Sharpness (pixel-ops.ts sharpness) of a uint8 image, into out. */
  sharpness(src: Uint8Array, H: number, W: number, C: number, factor: number, out: Uint8Array): void;
}

let loaded: PixelAddon | string | undefined;
let enabled: boolean | undefined;

function load(): PixelAddon | string {
  return (loaded ??= requireNativeAddon<PixelAddon>('rescom_pixels', 'addon not built (needs g++: apt-get install g++, then npm run build)'));
}

/** Whether `env` lets the addon run: RESCOM_PIXELS unset, empty or 1 (0 turns it off; anything else is an error). */
export function pixelAddonWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return nativeAddonSwitch(env, 'RESCOM_PIXELS', 'nativePixels');
}

/** The pixel addon when it is built and on (RESCOM_PIXELS is not 0, `useNativePixels` not false), else null. */
export function nativePixels(): PixelAddon | null {
  enabled ??= pixelAddonWanted();
  if (!enabled) return null;
  const addon = load();
  return typeof addon === 'string' ? null : addon;
}

/** Turns the addon on or off for this thread (tests compare both paths); on only takes effect where it is built. */
export function useNativePixels(on: boolean): void {
  enabled = on;
}

/** One line for logs: which pixel loops run, and why not the addon's. */
export function pixelLoopsDescription(): string {
  if (nativePixels()) return 'C++ (pixel addon)';
  const addon = load();
  return `JavaScript (pixel addon ${typeof addon === 'string' ? addon : 'turned off'})`;
}
