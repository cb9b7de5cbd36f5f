// rescom_training: an optional N-API addon with the memory-bound passes of a training step, run
// in place on the tfjs wasm heap with OpenMP threads: BatchNorm (+ residual add) (+ ReLU) forward
// and backward, and the SGD update with momentum and weight decay. Built by
// scripts/build-native.sh where a C++ compiler with OpenMP is present (no other library); loaded by
// src/backend/wasm/native-training.ts, which keeps the wasm-composed kernels where it is absent.
// Also the max-pooling gradient (wasm's own is a scalar loop: 353 ms of a ResNet-50 step at 224).
//
// Layout: x is [M, C] row-major (NHWC flattened: C channels last), gamma/beta/mean/variance [C].
//   bnForward(x, gamma, beta, residual | null, y, mean, variance, epsilon, relu)
//     mean, variance (biased) of each channel over the M rows;
//     y = gamma * (x - mean) / sqrt(variance + epsilon) + beta (+ residual) (then max(0, .))
//   bnBackward(dy, x, y, mean, variance, gamma, dx, dgamma, dbeta, dresidual | null, epsilon, relu)
//     g = relu ? dy * [y > 0] : dy;  dbeta = sum(g);  dgamma = sum(g * xhat);
//     dx = gamma / sqrt(variance + epsilon) * (g - dbeta / M - xhat * dgamma / M);  dresidual = g
//   sgd(w, g, v, wOut, vOut, lr, momentum, weightDecay)   (PyTorch's SGD, dampening 0)
//     v' = momentum * v + (g + weightDecay * w);  w' = w - lr * v'
//   maxPoolGrad(dy, x, dx, geometry Int32Array [N,H,W,C,OH,OW,KH,KW,SH,SW,padTop,padLeft])
//     x [N,H,W,C], dy [N,OH,OW,C] -> dx [N,H,W,C]: each window's dy goes to its first maximum in
//     scan order (strictly greater, NaN never), as tfjs's cpu MaxPoolGrad and PyTorch do; windows
//     overlapping one input add their dy in window order in double precision, rounded once, as the
//     cpu backend's JavaScript sums are: the same values.
//
// Same numbers for any thread count: channel sums are taken over fixed blocks of rows (the block
// size depends on M only), each block summed in order in double precision, and the block sums
// added in block order; every other value is computed element by element. Built with
// -ffp-contract=off, so no multiply-add is fused and the values do not depend on the CPU's ISA.
#include <node_api.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace {

struct Bad {
  std::string what;
};

float* floats(napi_env env, napi_value v, size_t* length, const char* name, bool optional = false) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (optional && (t == napi_null || t == napi_undefined)) {
    *length = 0;
    return nullptr;
  }
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type type;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (!is || napi_get_typedarray_info(env, v, &type, length, &data, &buffer, &offset) != napi_ok ||
      type != napi_float32_array)
    throw Bad{std::string(name) + " must be a Float32Array" + (optional ? " or null" : "")};
  return static_cast<float*>(data);
}

double number(napi_env env, napi_value v, const char* name) {
  double out = 0;
  if (napi_get_value_double(env, v, &out) != napi_ok) throw Bad{std::string(name) + " must be a number"};
  return out;
}

bool boolean(napi_env env, napi_value v, const char* name) {
  bool out = false;
  if (napi_get_value_bool(env, v, &out) != napi_ok) throw Bad{std::string(name) + " must be a boolean"};
  return out;
}

void need(size_t length, size_t want, const char* name) {
  if (length < want) throw Bad{std::string(name) + " holds " + std::to_string(length) + " values; needs " + std::to_string(want)};
}

// Rows per block of a channel sum over M rows: depends on M only (never on the thread count).
int64_t blockRows(int64_t m) { return std::max<int64_t>(64, (m + 255) / 256); }

// Per-channel sums over the rows of each block, then over blocks in order (see the file comment).
// blockTerms(first, rows, o1, o2) adds the two terms of rows [first, first + rows) to o1, o2.
template <typename Terms>
void channelSums(int64_t m, int64_t c, Terms blockTerms, std::vector<double>& out1, std::vector<double>& out2) {
  const int64_t rows = blockRows(m);
  const int64_t blocks = (m + rows - 1) / rows;
  std::vector<double> part(size_t(blocks) * 2 * c);
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < blocks; b++) {
    double* s1 = &part[size_t(b) * 2 * c];
    double* s2 = s1 + c;
    std::fill(s1, s1 + 2 * c, 0.0);
    const int64_t end = std::min(m, (b + 1) * rows);
    blockTerms(b * rows, end - b * rows, s1, s2);
  }
  out1.assign(c, 0.0);
  out2.assign(c, 0.0);
  for (int64_t b = 0; b < blocks; b++) {
    const double* s1 = &part[size_t(b) * 2 * c];
    for (int64_t k = 0; k < c; k++) {
      out1[k] += s1[k];
      out2[k] += s1[c + k];
    }
  }
}

// ---- row kernels -------------------------------------------------------------------------------
// Each runs over `rows` consecutive rows of C values, with restrict pointers and branch-free
// selects so that the compiler vectorises them, cloned for AVX-512, AVX2 and the x86-64 baseline
// (the same operations in each: without fused multiply-adds the values do not depend on the clone).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RESCOM_CLONES __attribute__((target_clones("avx512f", "avx2", "default"), noinline))
#else
#define RESCOM_CLONES
#endif

// o1 += x - shift, o2 += (x - shift)^2, per channel.
RESCOM_CLONES void shiftedSums(const float* __restrict x, int64_t rows, int64_t c, const float* __restrict shift,
                               double* __restrict o1, double* __restrict o2) {
  for (int64_t r = 0; r < rows; r++, x += c)
    for (int64_t k = 0; k < c; k++) {
      const double d = double(x[k]) - double(shift[k]);
      o1[k] += d;
      o2[k] += d * d;
    }
}

// y = x * scale + offset (+ residual) (then max(0, .)).
RESCOM_CLONES void normaliseRows(const float* __restrict x, const float* __restrict res, int64_t rows, int64_t c,
                                 const float* __restrict scale, const float* __restrict offset, float* __restrict y,
                                 bool relu) {
  const int64_t n = rows * c;
  if (res) {
    for (int64_t i = 0, k = 0; i < n; i++, k = k + 1 == c ? 0 : k + 1) y[i] = x[i] * scale[k] + offset[k] + res[i];
  } else {
    for (int64_t r = 0; r < rows; r++, x += c, y += c)
      for (int64_t k = 0; k < c; k++) y[k] = x[k] * scale[k] + offset[k];
    y -= n;
  }
  if (relu)
    for (int64_t i = 0; i < n; i++) y[i] = y[i] > 0.0f ? y[i] : 0.0f;
}

// g = relu ? dy * [y > 0] : dy (tfjs's ReLU gradient: a product with the step, so -0 and NaN
// propagate as there); o1 += g, o2 += g * (x - mean), per channel.
RESCOM_CLONES void gradientSums(const float* __restrict dy, const float* __restrict y, const float* __restrict x,
                                int64_t rows, int64_t c, bool relu, const float* __restrict mean,
                                double* __restrict o1, double* __restrict o2) {
  for (int64_t r = 0; r < rows; r++, dy += c, y += c, x += c) {
    if (relu) {
      for (int64_t k = 0; k < c; k++) {
        const float g = dy[k] * (y[k] > 0.0f ? 1.0f : 0.0f);
        o1[k] += double(g);
        o2[k] += double(g) * (double(x[k]) - double(mean[k]));
      }
    } else {
      for (int64_t k = 0; k < c; k++) {
        o1[k] += double(dy[k]);
        o2[k] += double(dy[k]) * (double(x[k]) - double(mean[k]));
      }
    }
  }
}

// dx = a * g + b * (x - mean) + d, per channel; dres = g when asked.
RESCOM_CLONES void inputGradientRows(const float* __restrict dy, const float* __restrict y, const float* __restrict x,
                                     int64_t rows, int64_t c, bool relu, const float* __restrict mean,
                                     const float* __restrict a, const float* __restrict b, const float* __restrict d,
                                     float* __restrict dx, float* __restrict dres) {
  for (int64_t r = 0; r < rows; r++, dy += c, y += c, x += c, dx += c) {
    if (relu) {
      for (int64_t k = 0; k < c; k++) {
        const float g = dy[k] * (y[k] > 0.0f ? 1.0f : 0.0f);
        dx[k] = a[k] * g + b[k] * (x[k] - mean[k]) + d[k];
      }
      if (dres) {
        for (int64_t k = 0; k < c; k++) dres[k] = dy[k] * (y[k] > 0.0f ? 1.0f : 0.0f);
        dres += c;
      }
    } else {
      for (int64_t k = 0; k < c; k++) dx[k] = a[k] * dy[k] + b[k] * (x[k] - mean[k]) + d[k];
      if (dres) {
        for (int64_t k = 0; k < c; k++) dres[k] = dy[k];
        dres += c;
      }
    }
  }
}

// Elementwise passes run over chunks of rows, one chunk per loop iteration.
constexpr int64_t kChunkRows = 64;

napi_value BnForward(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value a[9];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  try {
    if (argc != 9) throw Bad{"expected (x, gamma, beta, residual | null, y, mean, variance, epsilon, relu)"};
    size_t lx, lg, lb, lr, ly, lm, lv;
    const float* x = floats(env, a[0], &lx, "x");
    const float* gamma = floats(env, a[1], &lg, "gamma");
    const float* beta = floats(env, a[2], &lb, "beta");
    const float* res = floats(env, a[3], &lr, "residual", true);
    float* y = floats(env, a[4], &ly, "y");
    float* mean = floats(env, a[5], &lm, "mean");
    float* variance = floats(env, a[6], &lv, "variance");
    const double eps = number(env, a[7], "epsilon");
    const bool relu = boolean(env, a[8], "relu");
    const int64_t c = int64_t(lg);
    if (c < 1 || lx % c != 0 || lx / c < 1) throw Bad{"x must hold M x C values (C = gamma's length)"};
    const int64_t m = int64_t(lx / c);
    need(lb, c, "beta");
    need(lm, c, "mean");
    need(lv, c, "variance");
    need(ly, lx, "y");
    if (res) need(lr, lx, "residual");
    if (!(eps > 0)) throw Bad{"epsilon must be > 0"};
    // Shifted sums (shift = row 0) keep E[x^2] - E[x]^2 from cancelling when |mean| >> std.
    std::vector<float> shift(x, x + c);
    std::vector<double> s1, s2;
    const float* sh = shift.data();
    channelSums(
        m, c, [&](int64_t r, int64_t n, double* o1, double* o2) { shiftedSums(x + r * c, n, c, sh, o1, o2); }, s1, s2);
    std::vector<float> scale(c), offset(c);
    for (int64_t k = 0; k < c; k++) {
      const double dm = s1[k] / double(m);
      const double var = std::max(0.0, s2[k] / double(m) - dm * dm);
      const double mu = double(shift[k]) + dm;
      mean[k] = float(mu);
      variance[k] = float(var);
      const double sc = double(gamma[k]) / std::sqrt(var + eps);
      scale[k] = float(sc);
      offset[k] = float(double(beta[k]) - mu * sc);
    }
    const float* sc = scale.data();
    const float* of = offset.data();
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < m; r += kChunkRows) {
      const int64_t o = r * c;
      normaliseRows(x + o, res ? res + o : nullptr, std::min(kChunkRows, m - r), c, sc, of, y + o, relu);
    }
  } catch (const Bad& e) {
    napi_throw_error(env, nullptr, ("rescom_training.bnForward: " + e.what).c_str());
  }
  return nullptr;
}

napi_value BnBackward(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value a[12];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  try {
    if (argc != 12)
      throw Bad{"expected (dy, x, y, mean, variance, gamma, dx, dgamma, dbeta, dresidual | null, epsilon, relu)"};
    size_t ldy, lx, ly, lm, lv, lg, ldx, ldg, ldb, ldr;
    const float* dy = floats(env, a[0], &ldy, "dy");
    const float* x = floats(env, a[1], &lx, "x");
    const float* y = floats(env, a[2], &ly, "y");
    const float* mean = floats(env, a[3], &lm, "mean");
    const float* variance = floats(env, a[4], &lv, "variance");
    const float* gamma = floats(env, a[5], &lg, "gamma");
    float* dx = floats(env, a[6], &ldx, "dx");
    float* dgamma = floats(env, a[7], &ldg, "dgamma");
    float* dbeta = floats(env, a[8], &ldb, "dbeta");
    float* dres = floats(env, a[9], &ldr, "dresidual", true);
    const double eps = number(env, a[10], "epsilon");
    const bool relu = boolean(env, a[11], "relu");
    const int64_t c = int64_t(lg);
    if (c < 1 || lx % c != 0 || lx / c < 1) throw Bad{"x must hold M x C values (C = gamma's length)"};
    const int64_t m = int64_t(lx / c);
    need(ldy, lx, "dy");
    need(ly, relu ? lx : 0, "y");
    need(lm, c, "mean");
    need(lv, c, "variance");
    need(ldx, lx, "dx");
    need(ldg, c, "dgamma");
    need(ldb, c, "dbeta");
    if (dres) need(ldr, lx, "dresidual");
    if (!(eps > 0)) throw Bad{"epsilon must be > 0"};
    std::vector<double> sg, sgx;
    const std::vector<float> mu(mean, mean + c);
    const float* pm = mu.data();
    channelSums(
        m, c,
        [&](int64_t r, int64_t n, double* o1, double* o2) {
          gradientSums(dy + r * c, y + r * c, x + r * c, n, c, relu, pm, o1, o2);
        },
        sg, sgx);
    // dx = ca * g + cb * (x - mean) + cd, per channel.
    std::vector<float> ca(c), cb(c), cd(c);
    for (int64_t k = 0; k < c; k++) {
      const double inv = 1.0 / std::sqrt(double(variance[k]) + eps);
      const double aa = double(gamma[k]) * inv;
      dbeta[k] = float(sg[k]);
      dgamma[k] = float(sgx[k] * inv);
      ca[k] = float(aa);
      cb[k] = float(-aa * inv * inv * sgx[k] / double(m));
      cd[k] = float(-aa * sg[k] / double(m));
    }
    const float *pa = ca.data(), *pb = cb.data(), *pd = cd.data();
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < m; r += kChunkRows) {
      const int64_t o = r * c;
      inputGradientRows(dy + o, y + o, x + o, std::min(kChunkRows, m - r), c, relu, pm, pa, pb, pd, dx + o,
                        dres ? dres + o : nullptr);
    }
  } catch (const Bad& e) {
    napi_throw_error(env, nullptr, ("rescom_training.bnBackward: " + e.what).c_str());
  }
  return nullptr;
}

napi_value Sgd(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value a[8];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  try {
    if (argc != 8) throw Bad{"expected (w, g, v, wOut, vOut, lr, momentum, weightDecay)"};
    size_t lw, lg, lv, lwo, lvo;
    const float* w = floats(env, a[0], &lw, "w");
    const float* g = floats(env, a[1], &lg, "g");
    const float* v = floats(env, a[2], &lv, "v");
    float* wo = floats(env, a[3], &lwo, "wOut");
    float* vo = floats(env, a[4], &lvo, "vOut");
    const float lr = float(number(env, a[5], "lr"));
    const float mom = float(number(env, a[6], "momentum"));
    const float wd = float(number(env, a[7], "weightDecay"));
    need(lg, lw, "g");
    need(lv, lw, "v");
    need(lwo, lw, "wOut");
    need(lvo, lw, "vOut");
    const int64_t n = int64_t(lw);
#pragma omp parallel for schedule(static) if (n > 65536)
    for (int64_t i = 0; i < n; i++) {
      const float vi = mom * v[i] + (g[i] + wd * w[i]);
      vo[i] = vi;
      wo[i] = w[i] - lr * vi;
    }
  } catch (const Bad& e) {
    napi_throw_error(env, nullptr, ("rescom_training.sgd: " + e.what).c_str());
  }
  return nullptr;
}

napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value a[4];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  try {
    if (argc != 4) throw Bad{"expected (dy, x, dx, geometry)"};
    size_t ldy, lx, ldx, lg;
    const float* dy = floats(env, a[0], &ldy, "dy");
    const float* x = floats(env, a[1], &lx, "x");
    float* dx = floats(env, a[2], &ldx, "dx");
    napi_typedarray_type type;
    void* data = nullptr;
    napi_value buffer;
    size_t offset = 0;
    bool is = false;
    napi_is_typedarray(env, a[3], &is);
    if (!is || napi_get_typedarray_info(env, a[3], &type, &lg, &data, &buffer, &offset) != napi_ok ||
        type != napi_int32_array || lg != 12)
      throw Bad{"geometry must be an Int32Array(12) [N,H,W,C,OH,OW,KH,KW,SH,SW,padTop,padLeft]"};
    const int32_t* g = static_cast<const int32_t*>(data);
    const int64_t n = g[0], h = g[1], w = g[2], c = g[3], oh = g[4], ow = g[5], kh = g[6], kw = g[7], sh = g[8],
                  sw = g[9], top = g[10], left = g[11];
    for (int k = 0; k < 10; k++)
      if (g[k] < 1) throw Bad{"geometry sizes must be positive"};
    if (top < 0 || left < 0) throw Bad{"geometry padding must be >= 0"};
    need(lx, size_t(n * h * w * c), "x");
    need(ldx, size_t(n * h * w * c), "dx");
    need(ldy, size_t(n * oh * ow * c), "dy");
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < n; b++) {
      const float* xb = x + b * h * w * c;
      // Sums in double, rounded once (the cpu kernel's JavaScript numbers): the same float results.
      std::vector<double> sums(h * w * c, 0.0);
      std::vector<float> best(c);
      std::vector<int64_t> at(c);
      for (int64_t yr = 0; yr < oh; yr++) {
        const int64_t r0 = yr * sh - top, r1 = std::min(h, r0 + kh);
        for (int64_t yc = 0; yc < ow; yc++) {
          const int64_t c0 = yc * sw - left, c1 = std::min(w, c0 + kw);
          std::fill(best.begin(), best.end(), -INFINITY);
          std::fill(at.begin(), at.end(), -1);
          for (int64_t xr = std::max<int64_t>(0, r0); xr < r1; xr++)
            for (int64_t xc = std::max<int64_t>(0, c0); xc < c1; xc++) {
              const float* px = xb + (xr * w + xc) * c;
              const int64_t pos = (xr * w + xc) * c;
              for (int64_t k = 0; k < c; k++)
                if (px[k] > best[k]) {
                  best[k] = px[k];
                  at[k] = pos + k;
                }
            }
          const float* dyp = dy + ((b * oh + yr) * ow + yc) * c;
          for (int64_t k = 0; k < c; k++)
            if (at[k] >= 0) sums[at[k]] += double(dyp[k]);
        }
      }
      float* dxb = dx + b * h * w * c;
      for (int64_t i = 0; i < h * w * c; i++) dxb[i] = float(sums[i]);
    }
  } catch (const Bad& e) {
    napi_throw_error(env, nullptr, ("rescom_training.maxPoolGrad: " + e.what).c_str());
  }
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
  int n = 0;
  if (argc != 1 || napi_get_value_int32(env, arg, &n) != napi_ok || n < 1) {
    napi_throw_error(env, nullptr, "rescom_training.setThreads: expected a positive integer");
    return nullptr;
  }
  omp_set_num_threads(n);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"bnForward", nullptr, BnForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bnBackward", nullptr, BnBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgd", nullptr, Sgd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 5, props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
