/**
 * The in-memory forms data takes on its way to the model.
 */

/** A labelled image set held as uint8 pixels, row-major [count, height, width, channels]. */
export interface ImageSet {
  pixels: Uint8Array;
  /** [count], class indices in 0..numClasses-1. */
  labels: Int32Array;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  /** Optional human-readable class names, length numClasses. */
  classNames?: string[];
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
}
