/**
 * One colour per training method, shared by every figure that compares methods (the demo report,
 * chapters 07 and 09, the protocol figure), so a method keeps its colour from chart to chart and no
 * two methods share one. The palette is D3's category10 followed by two darker tones; the methods
 * are those of `losses.METHOD_NAMES` (src/losses/methods.ts), in that order.
 */
import { METHOD_NAMES } from '../losses/methods';

/** Twelve distinct colours: category10, then dark teal and dark red. */
export const METHOD_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#005f5f',
  '#7b0b3a',
] as const;

/**
 * The colour of a method: its index in METHOD_NAMES picks the palette entry (ResCom is '#9467bd',
 * purple, in every figure). A name outside METHOD_NAMES gets a palette entry from a hash of the name
 * (stable, but it may repeat a known method's colour).
 */
export function methodColor(method: string): string {
  const i = (METHOD_NAMES as readonly string[]).indexOf(method);
  if (i >= 0) return METHOD_PALETTE[i % METHOD_PALETTE.length];
  let h = 0;
  for (const ch of method) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return METHOD_PALETTE[h % METHOD_PALETTE.length];
}
