// rescom_pixels: an optional N-API addon with the pixel loops of the 8-bit augmentations, written
// to give exactly the values of their JavaScript versions (same operations, same precision, same
// order; built with -ffp-contract=off so no multiply-add is fused). Built by
// scripts/build-native.sh when a C++ compiler and Node's headers are present; loaded by
// src/data/augment/native-pixels.ts, which falls back to the JS loops when it is absent.
//
// Images are HWC uint8 (Uint8Array, C channels). "tables" is a Uint8Array(768) of per-channel
// value maps (channel c's at [256 c, 256 c + 256)) still to apply to an RGB image's values, or
// null (identity). Each function's JS twin is named in its comment.
//
//   resize(src, inH, inW, C, top, left, boxH, boxW, outH, outW, flip, out)
//       image-decode.ts resizeImage(cropImage(src, box), outH x outW), mirrored when flip is 1.
//   meanLuma(src, tables) -> number        pending-colour.ts PendingRgb.meanLuma
//   histograms(src, tables, out u32[768])  PendingRgb.histograms (of the mapped values)
//   color(src, tables, factor, out)        PendingRgb.color (ImageEnhance.Color, tables inside)
//   grey(src, tables, out)                 PendingRgb.grey
//   applyTables(src, tables, out, offset)  PendingRgb.writeInto
//   affine(src, H, W, C, matrix f64[6], interpolation 0 nearest | 1 bilinear | 2 bicubic, fill f32[C], out)
//       geometric.ts affineTransform
//   sharpness(src, H, W, C, factor, out)   pixel-ops.ts sharpness
#include <node_api.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// ---- argument helpers -------------------------------------------------------------------------

struct Bad {
  std::string what;
};

template <typename T>
T* typed(napi_env env, napi_value v, napi_typedarray_type want, size_t* length, const char* name) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type type;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (!is || napi_get_typedarray_info(env, v, &type, length, &data, &buffer, &offset) != napi_ok || type != want) {
    throw Bad{std::string(name) + " must be a " +
              (want == napi_uint8_array ? "Uint8Array" : want == napi_uint32_array ? "Uint32Array" : want == napi_float32_array ? "Float32Array" : "Float64Array")};
  }
  return static_cast<T*>(data);
}

int32_t int32(napi_env env, napi_value v, const char* name) {
  int32_t out = 0;
  if (napi_get_value_int32(env, v, &out) != napi_ok) throw Bad{std::string(name) + " must be a number"};
  return out;
}

double number(napi_env env, napi_value v, const char* name) {
  double out = 0;
  if (napi_get_value_double(env, v, &out) != napi_ok) throw Bad{std::string(name) + " must be a number"};
  return out;
}

// The tables argument: a Uint8Array(768), or null / undefined for none.
const uint8_t* tablesArg(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) return nullptr;
  size_t n = 0;
  const uint8_t* p = typed<uint8_t>(env, v, napi_uint8_array, &n, "tables");
  if (n != 768) throw Bad{"tables must have 768 values (3 x 256)"};
  return p;
}

struct Identity {
  uint8_t t[768];
  Identity() {
    for (int c = 0; c < 3; c++)
      for (int v = 0; v < 256; v++) t[256 * c + v] = static_cast<uint8_t>(v);
  }
};
const uint8_t* orIdentity(const uint8_t* tables) {
  static const Identity identity;
  return tables ? tables : identity.t;
}

template <size_t N>
void args(napi_env env, napi_callback_info info, napi_value (&out)[N], const char* usage) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, out, nullptr, nullptr);
  if (argc != N) throw Bad{std::string("expected ") + usage};
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

template <typename F>
napi_value guarded(napi_env env, const char* name, F body) {
  try {
    return body();
  } catch (const Bad& bad) {
    napi_throw_error(env, nullptr, (std::string("rescom_pixels.") + name + ": " + bad.what).c_str());
    return nullptr;
  }
}

inline uint32_t lumaOf(uint32_t r, uint32_t g, uint32_t b) { return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16; }

// Math.floor for |x| < 2^62 without a libm call (baseline x86-64 has no rounding instruction).
inline double fastFloor(double x) {
  double t = static_cast<double>(static_cast<int64_t>(x));
  return t > x ? t - 1 : t;
}

// min(255, max(0, Math.round(x))) as a byte (Math.round rounds ties towards +infinity), without
// branches: clamping first gives the same byte, and on 0..255 truncation is floor.
inline uint8_t roundedByte(double x) {
  x = x > 0 ? x : 0;
  x = x < 255 ? x : 255;
  int r = static_cast<int>(x);
  return static_cast<uint8_t>(r + (x - r >= 0.5 ? 1 : 0));
}

// pixel-ops.ts blendValue: base + alpha (x - base) in single precision, truncated to 0..255.
inline uint8_t blendValue(int base, int x, float alpha) {
  float v = static_cast<float>(base) + alpha * static_cast<float>(x - base);
  return v <= 0 ? 0 : v >= 255 ? 255 : static_cast<uint8_t>(v);
}

// ---- resize -----------------------------------------------------------------------------------

// image-decode.ts filterWeights: a triangle of half-width max(1, scale) input pixels, normalised,
// zero taps at either end dropped. Weights are single precision, the running sum double (as there).
struct Taps {
  std::vector<int> start, count, offset;
  std::vector<float> weights;
};

Taps filterWeights(int inSize, int outSize) {
  Taps taps;
  double scale = static_cast<double>(inSize) / outSize;
  double support = std::max(1.0, scale);
  std::vector<float> w;
  for (int i = 0; i < outSize; i++) {
    double center = (i + 0.5) * scale;
    int start = std::max(0, static_cast<int>(std::floor(center - support)));
    int stop = std::min(inSize, static_cast<int>(std::ceil(center + support)));
    w.assign(stop - start, 0.f);
    double sum = 0;
    for (int j = start; j < stop; j++) {
      double v = std::max(0.0, 1 - std::fabs((j + 0.5 - center) / support));
      w[j - start] = static_cast<float>(v);
      sum += v;
    }
    for (float& x : w) x = static_cast<float>(static_cast<double>(x) / sum);
    int first = 0, last = static_cast<int>(w.size());
    while (first < last - 1 && w[first] == 0) first++;
    while (last > first + 1 && w[last - 1] == 0) last--;
    taps.start.push_back(start + first);
    taps.count.push_back(last - first);
    taps.offset.push_back(static_cast<int>(taps.weights.size()));
    taps.weights.insert(taps.weights.end(), w.begin() + first, w.begin() + last);
  }
  return taps;
}

napi_value Resize(napi_env env, napi_callback_info info) {
  return guarded(env, "resize", [&]() -> napi_value {
    napi_value a[12];
    args(env, info, a, "(src, inH, inW, C, top, left, boxH, boxW, outH, outW, flip, out)");
    size_t srcLen = 0, outLen = 0;
    const uint8_t* src = typed<uint8_t>(env, a[0], napi_uint8_array, &srcLen, "src");
    int inH = int32(env, a[1], "inH"), inW = int32(env, a[2], "inW"), C = int32(env, a[3], "C");
    int top = int32(env, a[4], "top"), left = int32(env, a[5], "left");
    int boxH = int32(env, a[6], "boxH"), boxW = int32(env, a[7], "boxW");
    int outH = int32(env, a[8], "outH"), outW = int32(env, a[9], "outW");
    bool flip = int32(env, a[10], "flip") != 0;
    uint8_t* out = typed<uint8_t>(env, a[11], napi_uint8_array, &outLen, "out");
    if (inH < 1 || inW < 1 || C < 1 || C > 4) throw Bad{"inH, inW must be positive and C in 1..4"};
    if (srcLen != static_cast<size_t>(inH) * inW * C) throw Bad{"src must hold inH * inW * C values"};
    if (boxH < 1 || boxW < 1 || top < 0 || left < 0 || top + boxH > inH || left + boxW > inW) throw Bad{"the box must lie inside the image"};
    if (outH < 1 || outW < 1 || outLen != static_cast<size_t>(outH) * outW * C) throw Bad{"out must hold outH * outW * C values"};
    Taps horizontal = filterWeights(boxW, outW);
    Taps vertical = filterWeights(boxH, outH);
    std::vector<float> temp(static_cast<size_t>(boxH) * outW * C);
    // Rows: each output column's taps over the box row (the column of the mirrored image when
    // flipping), the row first converted to doubles once.
    std::vector<double> line(static_cast<size_t>(boxW) * C);
    for (int y = 0; y < boxH; y++) {
      const uint8_t* row = src + (static_cast<size_t>(top + y) * inW + left) * C;
      for (size_t i = 0; i < line.size(); i++) line[i] = row[i];
      float* t = &temp[static_cast<size_t>(y) * outW * C];
      for (int x = 0; x < outW; x++) {
        int xs = flip ? outW - 1 - x : x;
        const float* w = &horizontal.weights[horizontal.offset[xs]];
        const double* p = &line[static_cast<size_t>(horizontal.start[xs]) * C];
        int n = horizontal.count[xs];
        if (C == 3) {
          // Each channel's sum from 0 in tap order, as JS; 2 and 3 taps (enlarging, mild
          // shrinking) written out, since the loop overhead is most of their cost.
          double w0 = w[0];
          double a0 = 0 + w0 * p[0], a1 = 0 + w0 * p[1], a2 = 0 + w0 * p[2];
          if (n >= 2) {
            double w1 = w[1];
            a0 += w1 * p[3];
            a1 += w1 * p[4];
            a2 += w1 * p[5];
          }
          if (n >= 3) {
            double w2 = w[2];
            a0 += w2 * p[6];
            a1 += w2 * p[7];
            a2 += w2 * p[8];
          }
          p += 9;
          for (int k = 3; k < n; k++, p += 3) {
            double wk = w[k];
            a0 += wk * p[0];
            a1 += wk * p[1];
            a2 += wk * p[2];
          }
          t[3 * x] = static_cast<float>(a0);
          t[3 * x + 1] = static_cast<float>(a1);
          t[3 * x + 2] = static_cast<float>(a2);
          continue;
        }
        for (int c = 0; c < C; c++) {
          double acc = 0;
          for (int k = 0; k < n; k++) acc += static_cast<double>(w[k]) * p[k * C + c];
          t[x * C + c] = static_cast<float>(acc);
        }
      }
    }
    // Columns: each output row's taps over the intermediate rows, tap by tap across the whole row
    // (each value's sum in tap order, as in JS), then rounded as Math.round and clamped.
    size_t stride = static_cast<size_t>(outW) * C;
    std::vector<double> acc(stride);
    for (int y = 0; y < outH; y++) {
      const float* w = &vertical.weights[vertical.offset[y]];
      int n = vertical.count[y];
      const float* r0 = &temp[static_cast<size_t>(vertical.start[y]) * stride];
      uint8_t* o = out + static_cast<size_t>(y) * stride;
      double w0 = w[0];
      if (n == 2) {  // enlarging: two taps, summed in one pass
        const float* r1 = r0 + stride;
        double w1 = w[1];
        for (size_t i = 0; i < stride; i++) o[i] = roundedByte((0 + w0 * r0[i]) + w1 * r1[i]);
        continue;
      }
      for (size_t i = 0; i < stride; i++) acc[i] = 0 + w0 * r0[i];
      for (int k = 1; k < n; k++) {
        double wk = w[k];
        const float* r = r0 + k * stride;
        for (size_t i = 0; i < stride; i++) acc[i] += wk * static_cast<double>(r[i]);
      }
      for (size_t i = 0; i < stride; i++) o[i] = roundedByte(acc[i]);
    }
    return undefined(env);
  });
}

// ---- per-value passes on RGB (pending-colour.ts) ----------------------------------------------

const uint8_t* rgb(napi_env env, napi_value v, size_t* n, const char* name) {
  const uint8_t* p = typed<uint8_t>(env, v, napi_uint8_array, n, name);
  if (*n % 3 != 0) throw Bad{std::string(name) + " must hold RGB pixels (a multiple of 3 values)"};
  return p;
}

// The arguments of a pass from RGB values through tables into out: src (RGB), tables (or null:
// identity) and out (a Uint8Array; its length is checked by the caller).
struct TablePass {
  const uint8_t* src;
  size_t n;
  const uint8_t* tables;
  uint8_t* out;
  size_t outLength;
};

TablePass tablePass(napi_env env, napi_value src, napi_value tables, napi_value out) {
  TablePass pass{};
  pass.src = rgb(env, src, &pass.n, "src");
  pass.tables = orIdentity(tablesArg(env, tables));
  pass.out = typed<uint8_t>(env, out, napi_uint8_array, &pass.outLength, "out");
  return pass;
}

napi_value MeanLuma(napi_env env, napi_callback_info info) {
  return guarded(env, "meanLuma", [&]() -> napi_value {
    napi_value a[2];
    args(env, info, a, "(src, tables)");
    size_t n = 0;
    const uint8_t* d = rgb(env, a[0], &n, "src");
    const uint8_t* t = orIdentity(tablesArg(env, a[1]));
    if (n == 0) throw Bad{"src must not be empty"};
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i += 3) sum += lumaOf(t[d[i]], t[256 + d[i + 1]], t[512 + d[i + 2]]);
    napi_value out;
    napi_create_double(env, std::trunc(static_cast<double>(sum) / static_cast<double>(n / 3) + 0.5), &out);
    return out;
  });
}

napi_value Histograms(napi_env env, napi_callback_info info) {
  return guarded(env, "histograms", [&]() -> napi_value {
    napi_value a[3];
    args(env, info, a, "(src, tables, out)");
    size_t n = 0, outLen = 0;
    const uint8_t* d = rgb(env, a[0], &n, "src");
    const uint8_t* t = tablesArg(env, a[1]);
    uint32_t* out = typed<uint32_t>(env, a[2], napi_uint32_array, &outLen, "out");
    if (outLen != 768) throw Bad{"out must be a Uint32Array(768)"};
    uint32_t h[768] = {0};
    for (size_t i = 0; i < n; i += 3) {
      h[d[i]]++;
      h[256 + d[i + 1]]++;
      h[512 + d[i + 2]]++;
    }
    for (int i = 0; i < 768; i++) out[i] = 0;
    for (int c = 0; c < 3; c++)
      for (int v = 0; v < 256; v++) out[256 * c + (t ? t[256 * c + v] : v)] += h[256 * c + v];
    return undefined(env);
  });
}

napi_value Color(napi_env env, napi_callback_info info) {
  return guarded(env, "color", [&]() -> napi_value {
    napi_value a[4];
    args(env, info, a, "(src, tables, factor, out)");
    auto [d, n, t, out, outLen] = tablePass(env, a[0], a[1], a[3]);
    float alpha = static_cast<float>(number(env, a[2], "factor"));
    if (outLen != n) throw Bad{"out must have as many values as src"};
    for (size_t i = 0; i < n; i += 3) {
      uint8_t r = t[d[i]], g = t[256 + d[i + 1]], b = t[512 + d[i + 2]];
      int grey = static_cast<int>(lumaOf(r, g, b));
      out[i] = blendValue(grey, r, alpha);
      out[i + 1] = blendValue(grey, g, alpha);
      out[i + 2] = blendValue(grey, b, alpha);
    }
    return undefined(env);
  });
}

napi_value Grey(napi_env env, napi_callback_info info) {
  return guarded(env, "grey", [&]() -> napi_value {
    napi_value a[3];
    args(env, info, a, "(src, tables, out)");
    auto [d, n, t, out, outLen] = tablePass(env, a[0], a[1], a[2]);
    if (outLen != n) throw Bad{"out must have as many values as src"};
    for (size_t i = 0; i < n; i += 3) out[i] = out[i + 1] = out[i + 2] = static_cast<uint8_t>(lumaOf(t[d[i]], t[256 + d[i + 1]], t[512 + d[i + 2]]));
    return undefined(env);
  });
}

napi_value ApplyTables(napi_env env, napi_callback_info info) {
  return guarded(env, "applyTables", [&]() -> napi_value {
    napi_value a[4];
    args(env, info, a, "(src, tables, out, offset)");
    auto [d, n, t, out, outLen] = tablePass(env, a[0], a[1], a[2]);
    int64_t offset = static_cast<int64_t>(number(env, a[3], "offset"));
    if (offset < 0 || static_cast<size_t>(offset) + n > outLen) throw Bad{"out is too short for src at offset"};
    uint8_t* o = out + offset;
    for (size_t i = 0; i < n; i += 3) {
      o[i] = t[d[i]];
      o[i + 1] = t[256 + d[i + 1]];
      o[i + 2] = t[512 + d[i + 2]];
    }
    return undefined(env);
  });
}

// ---- affine warps (geometric.ts affineTransform, uint8) ----------------------------------------

inline int clampIndex(int v, int n) { return v < 0 ? 0 : v >= n ? n - 1 : v; }

inline double cubic(double v1, double v2, double v3, double v4, double t) {
  double p2 = -v1 + v3;
  double p3 = 2 * (v1 - v2) + v3 - v4;
  double p4 = -v1 + v2 - v3 + v4;
  return v2 + t * (p2 + t * (p3 + t * p4));
}

inline uint8_t truncated(double v) { return v <= 0 ? 0 : v >= 255 ? 255 : static_cast<uint8_t>(v); }

napi_value Affine(napi_env env, napi_callback_info info) {
  return guarded(env, "affine", [&]() -> napi_value {
    napi_value a[8];
    args(env, info, a, "(src, H, W, C, matrix, interpolation, fill, out)");
    size_t n = 0, mLen = 0, fillLen = 0, outLen = 0;
    const uint8_t* d = typed<uint8_t>(env, a[0], napi_uint8_array, &n, "src");
    int H = int32(env, a[1], "H"), W = int32(env, a[2], "W"), C = int32(env, a[3], "C");
    const double* m = typed<double>(env, a[4], napi_float64_array, &mLen, "matrix");
    int interpolation = int32(env, a[5], "interpolation");
    const float* fill = typed<float>(env, a[6], napi_float32_array, &fillLen, "fill");
    uint8_t* o = typed<uint8_t>(env, a[7], napi_uint8_array, &outLen, "out");
    if (H < 1 || W < 1 || C < 1 || n != static_cast<size_t>(H) * W * C || outLen != n) throw Bad{"src and out must hold H * W * C values"};
    if (mLen != 6 || fillLen != static_cast<size_t>(C) || interpolation < 0 || interpolation > 2) throw Bad{"matrix must have 6 values, fill C, interpolation 0..2"};
    uint8_t fillU8[4] = {0, 0, 0, 0};
    for (int k = 0; k < C && k < 4; k++) fillU8[k] = static_cast<uint8_t>(static_cast<int64_t>(fill[k]) & 255);
    if (C > 4) throw Bad{"C must be at most 4"};
    const double ma = m[0], mb = m[1], mc = m[2], md = m[3], me = m[4], mf = m[5];
    auto at = [&](int y, int x, int k) -> double { return d[(static_cast<size_t>(y) * W + x) * C + k]; };
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double xin = ma * (x + 0.5) + mb * (y + 0.5) + mc;
        double yin = md * (x + 0.5) + me * (y + 0.5) + mf;
        uint8_t* to = o + (static_cast<size_t>(y) * W + x) * C;
        if (interpolation == 0) {
          double sx = fastFloor(xin), sy = fastFloor(yin);
          if (sx < 0 || sy < 0 || sx >= W || sy >= H) {
            for (int k = 0; k < C; k++) to[k] = fillU8[k];
          } else {
            const uint8_t* from = d + (static_cast<size_t>(sy) * W + static_cast<size_t>(sx)) * C;
            for (int k = 0; k < C; k++) to[k] = from[k];
          }
          continue;
        }
        if (xin < 0 || yin < 0 || xin >= W || yin >= H) {
          for (int k = 0; k < C; k++) to[k] = fillU8[k];
          continue;
        }
        double fx = xin - 0.5, fy = yin - 0.5;
        double fx0 = fastFloor(fx), fy0 = fastFloor(fy);
        int x0 = static_cast<int>(fx0), y0 = static_cast<int>(fy0);
        double dx = fx - fx0, dy = fy - fy0;
        if (interpolation == 2 && (dy == 0 || dx == 0)) {
          // Shears: cubic(v0, v1, v2, v3, 0) is exactly v1, so the 4 x 4 neighbourhood reduces to
          // one row (dy 0) or column (dx 0): the same value, as geometric.ts does. Offsets once
          // per pixel.
          bool alongRow = dy == 0;
          size_t step = alongRow ? C : static_cast<size_t>(W) * C;
          int n = alongRow ? W : H, i = alongRow ? x0 : y0;
          size_t base = alongRow ? static_cast<size_t>(clampIndex(y0, H)) * W * C : static_cast<size_t>(clampIndex(x0, W)) * C;
          size_t p0 = base + clampIndex(i - 1, n) * step, p1 = base + clampIndex(i, n) * step;
          size_t p2 = base + clampIndex(i + 1, n) * step, p3 = base + clampIndex(i + 2, n) * step;
          double tt = alongRow ? dx : dy;
          for (int k = 0; k < C; k++) to[k] = truncated(cubic(d[p0 + k], d[p1 + k], d[p2 + k], d[p3 + k], tt));
          continue;
        }
        for (int k = 0; k < C; k++) {
          double v;
          if (interpolation == 1) {
            int xa = clampIndex(x0, W), xb = clampIndex(x0 + 1, W), ya = clampIndex(y0, H), yb = clampIndex(y0 + 1, H);
            double topv = at(ya, xa, k) + (at(ya, xb, k) - at(ya, xa, k)) * dx;
            double bottom = at(yb, xa, k) + (at(yb, xb, k) - at(yb, xa, k)) * dx;
            v = topv + (bottom - topv) * dy;
          } else {
            int c0 = clampIndex(x0 - 1, W), c1 = clampIndex(x0, W), c2 = clampIndex(x0 + 1, W), c3 = clampIndex(x0 + 2, W);
            int r[4] = {clampIndex(y0 - 1, H), clampIndex(y0, H), clampIndex(y0 + 1, H), clampIndex(y0 + 2, H)};
            double rows[4];
            for (int j = 0; j < 4; j++) rows[j] = cubic(at(r[j], c0, k), at(r[j], c1, k), at(r[j], c2, k), at(r[j], c3, k), dx);
            v = cubic(rows[0], rows[1], rows[2], rows[3], dy);
          }
          to[k] = truncated(v);
        }
      }
    }
    return undefined(env);
  });
}

// ---- sharpness (pixel-ops.ts sharpness, uint8) ---------------------------------------------------

napi_value Sharpness(napi_env env, napi_callback_info info) {
  return guarded(env, "sharpness", [&]() -> napi_value {
    napi_value a[6];
    args(env, info, a, "(src, H, W, C, factor, out)");
    size_t n = 0, outLen = 0;
    const uint8_t* d = typed<uint8_t>(env, a[0], napi_uint8_array, &n, "src");
    int H = int32(env, a[1], "H"), W = int32(env, a[2], "W"), C = int32(env, a[3], "C");
    float alpha = static_cast<float>(number(env, a[4], "factor"));
    uint8_t* o = typed<uint8_t>(env, a[5], napi_uint8_array, &outLen, "out");
    if (H < 1 || W < 1 || C < 1 || n != static_cast<size_t>(H) * W * C || outLen != n) throw Bad{"src and out must hold H * W * C values"};
    // Pillow's SMOOTH filter in single precision (row below first), border pixels kept, then the blend.
    const float k1 = static_cast<float>(1.0 / 13.0), k5 = static_cast<float>(5.0 / 13.0);
    const size_t row = static_cast<size_t>(W) * C;
    auto line = [&](size_t i, float centre) -> float {
      float a0 = static_cast<float>(d[i - C]) * k1;
      float a1 = static_cast<float>(d[i]) * centre;
      float a2 = static_cast<float>(d[i + C]) * k1;
      return (a0 + a1) + a2;
    };
    for (size_t i = 0; i < n; i++) o[i] = d[i];  // borders: blendValue(x, x, alpha) is x
    for (int y = 1; y < H - 1; y++) {
      for (int x = 1; x < W - 1; x++) {
        for (int c = 0; c < C; c++) {
          size_t i = y * row + static_cast<size_t>(x) * C + c;
          float ss = 0;
          ss = ss + line(i + row, k1);
          ss = ss + line(i, k5);
          ss = ss + line(i - row, k1);
          int degenerate = ss <= 0 ? 0 : ss >= 255 ? 255 : static_cast<int>(static_cast<double>(ss) + 0.5);
          o[i] = blendValue(degenerate, d[i], alpha);
        }
      }
    }
    return undefined(env);
  });
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"resize", nullptr, Resize, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"meanLuma", nullptr, MeanLuma, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"histograms", nullptr, Histograms, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"color", nullptr, Color, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"grey", nullptr, Grey, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"applyTables", nullptr, ApplyTables, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"affine", nullptr, Affine, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sharpness", nullptr, Sharpness, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
