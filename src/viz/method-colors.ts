/**
 * One colour per training method, shared by every figure that compares methods (the demo report,
 * chapters 07 and 09, the protocol figure), so a method keeps its colour from chart to chart and no
 * two methods share one. The palette is D3's category10 followed by two darker tones; the methods
 * are those of `losses.METHOD_NAMES` (src/losses/methods.ts), in that order.
 */
import { METHOD_NAMES } from '../losses/methods';
import { CLASS_COLORS } from './figure';

/** Twelve distinct colours: category10 (the per-class palette of ./figure.ts), then dark teal and dark red. */
export const METHOD_PALETTE: readonly string[] = [...CLASS_COLORS, '#005f5f', '#7b0b3a'];

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
