/**
 * The in-memory forms data takes on its way to the model.
 */
import type { Normalization } from './augment/normalize';

/**
 * What the trainer needs to know of a split without its pixels: an in-memory `ImageSet`, or a
 * `ListImageSet` streamed from disk (src/data/stream/list-set.ts).
 */
export interface ImageSource {
  /** [count], class indices in 0..numClasses-1. */
  labels: Int32Array;
  /** Size of the images as the model sees them. */
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames?: string[];
}

/** A labelled image set held as uint8 pixels, row-major [count, height, width, channels]. */
export interface ImageSet extends ImageSource {
  pixels: Uint8Array;
}

/**
 * Two augmented views of the same N images, normalised and ready for the model.
 * Rows of `view1` and `view2` correspond; labels are given once (length N).
 */
export interface TwoViewBatch {
  /** [N, H, W, C] float32, row-major. */
  view1: Float32Array;
  /** [N, H, W, C] float32, row-major. */
  view2: Float32Array;
  /** [N] int32. */
  labels: Int32Array;
  /** [N, H, W, C]. */
  shape: [number, number, number, number];
  /**
   * Streamed batches: the views as uint8 pixels before normalisation, [N, H, W, C] each (view2
   * empty with one view); `view1` / `view2` are then their normalised values, computed on first
   * read. Consumers that build model input use these (batch-input.ts: twoViewInput).
   */
  bytes?: TwoViewBytes;
}

/** The uint8 form of a TwoViewBatch's views and the normalisation that turns them into its float views. */
export interface TwoViewBytes {
  /** [N, H, W, C] uint8. */
  view1: Uint8Array;
  /** [N, H, W, C] uint8, or empty. */
  view2: Uint8Array;
  normalization: Normalization;
}

/** Pixel storage: uint8 in 0..255, or float32 in 0..1 (as torchvision's ToTensor gives). */
export type PixelArray = Uint8Array | Float32Array;

/** One image, row-major [height, width, channels] (HWC). */
export interface HwcImage<P extends PixelArray = PixelArray> {
  data: P;
  height: number;
  width: number;
  channels: number;
}

/** Imbalance profiles of the long-tailed benchmarks (docs/paper-notes.md, "Long-tailed benchmarks"). */
export type ImbalanceProfile = 'exp' | 'step';

/** A batch of single (evaluation) views, normalised and ready for the model. */
export interface ImageBatch {
  /** [N, H, W, C] float32, row-major. */
  images: Float32Array;
  /** [N] int32. */
  labels: Int32Array;
  /** [N, H, W, C]. */
  shape: [number, number, number, number];
}
