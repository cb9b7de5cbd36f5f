/**
 * Image headers read before decoding: format, width and height of a JPEG (first SOF marker) or PNG
 * (IHDR), and the size limits every reader applies before it spends memory on a decode. One
 * function (`checkImageBytes`) for all readers (streaming workers, list checks), so the limits are
 * the same everywhere.
 */

export interface ImageHeader {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  /** Colour components as stored (JPEG: 1 grey, 3 YCbCr, 4 CMYK; PNG: from the colour type). */
  components: number;
}

export interface ImageLimits {
  /** Largest file accepted, bytes (default 64 MiB). */
  maxBytes?: number;
  /** Largest width x height accepted, megapixels (default 100, as `decodeImage`). */
  maxMegapixels?: number;
}

/**
 * Parses the header of JPEG or PNG bytes without decoding pixels; throws an Error saying what is
 * wrong (not an image, truncated header, zero size).
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes);
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return pngHeader(bytes);
  const head = Buffer.from(bytes.subarray(0, 4)).toString('hex');
  throw new Error(`not a JPEG (ff d8 ff) or PNG (89 50 4e 47) file: starts with ${head || 'nothing (empty file)'}`);
}

/** Header of `bytes` after checking file size, header and pixel count against `limits`; throws an Error naming the limit. */
export function checkImageBytes(bytes: Uint8Array, limits: ImageLimits = {}): ImageHeader {
  const { maxBytes = 64 * 1024 * 1024, maxMegapixels = 100 } = limits;
  if (bytes.length > maxBytes) throw new Error(`file of ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes`);
  const header = readImageHeader(bytes);
  if (header.width < 1 || header.height < 1) throw new Error(`${header.format} header gives a size of ${header.width}x${header.height}`);
  if (header.width * header.height > maxMegapixels * 1e6) {
    throw new Error(`image of ${header.width}x${header.height} exceeds ${maxMegapixels} megapixels`);
  }
  return header;
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) throw new Error(`JPEG: expected a marker (ff) at byte ${p}; got ${bytes[p].toString(16)}`);
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan before any frame header
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (p + 10 > bytes.length) break;
      const height = (bytes[p + 5] << 8) | bytes[p + 6];
      const width = (bytes[p + 7] << 8) | bytes[p + 8];
      return { format: 'jpeg', width, height, components: bytes[p + 9] };
    }
    if (length < 2) throw new Error(`JPEG: segment ff${marker.toString(16)} at byte ${p} has length ${length}`);
    p += 2 + length;
  }
  throw new Error(`JPEG: no frame header (SOF) in the first ${bytes.length} bytes (truncated or corrupt file)`);
}

function pngHeader(bytes: Uint8Array): ImageHeader {
  // 8-byte signature, then the IHDR chunk: length (4) 'IHDR' (4) width (4) height (4) depth colour ...
  if (bytes.length < 26 || String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]) !== 'IHDR') {
    throw new Error(`PNG: no IHDR chunk at byte 12 (file of ${bytes.length} bytes; truncated or corrupt)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const colourType = bytes[25];
  const components = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 }[colourType as 0 | 2 | 3 | 4 | 6] ?? 0;
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), components };
}
