// rescom_onednn: an optional N-API addon running convolutions on Debian's oneDNN (libdnnl, 2.x API).
// Built by scripts/build-native.sh only when <dnnl.hpp> is present; loaded by
// src/backend/wasm/onednn.ts, which registers it for the tfjs wasm backend.
//
// conv(op, a, b, out, geometry) works in place on Float32Arrays (the wasm heap, a SharedArrayBuffer):
//   op 0 forward:          a = x [N,H,W,Ci], b = filter [KH,KW,Ci,Co] (HWIO), out = y [N,OH,OW,Co]
//   op 1 backward data:    a = dy [N,OH,OW,Co], b = filter,                   out = dx [N,H,W,Ci]
//   op 2 backward weights: a = x,               b = dy,                       out = dW [KH,KW,Ci,Co]
// geometry: Int32Array [N,H,W,Ci,OH,OW,Co,KH,KW,SH,SW,padTop,padLeft,padBottom,padRight].
// Primitives are created once per (op, geometry, thread count) and cached; filters are reordered to
// oneDNN's blocked layout per call (they are small).
//
// Same numbers for any thread count: the forward and data-gradient primitives compute each output
// with one thread in a fixed order (measured: identical for 1-4 threads). oneDNN's own weight
// gradient splits the batch by thread count, so op 2 runs instead over a fixed split of the batch
// (weightChunks parts, depending on the geometry only): each part's dW by a single-threaded
// primitive, the parts in parallel (OpenMP), then summed in part order.
#include <node_api.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <dnnl.hpp>
#include <map>
#include <stdexcept>
#include <memory>
#include <string>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

struct Plan {
  primitive conv;
  memory::desc userWeights;  // HWIO
  memory::desc convWeights;  // what the primitive wants
  bool reorderWeights = false;
  primitive toConv, fromConv;  // weight reorders (forward/backward data: to; backward weights: from)
  memory convWeightsMem;       // scratch in the blocked layout
  memory::desc scratchpad;
  memory scratchpadMem;
};

engine& eng() {
  static engine e(engine::kind::cpu, 0);
  return e;
}
stream& strm() {
  static stream s(eng());
  return s;
}
std::map<std::vector<int>, std::unique_ptr<Plan>>& plans() {
  static std::map<std::vector<int>, std::unique_ptr<Plan>> m;
  return m;
}

// Plans are keyed by thread count too: oneDNN fixes a primitive's work split when it is created.
Plan& plan(int op, const std::vector<int>& g) {
  std::vector<int> key(g);
  key.push_back(op);
  key.push_back(omp_get_max_threads());
  auto found = plans().find(key);
  if (found != plans().end()) return *found->second;
  const int n = g[0], h = g[1], w = g[2], ci = g[3], oh = g[4], ow = g[5], co = g[6], kh = g[7], kw = g[8];
  memory::dims src = {n, ci, h, w}, wei = {co, ci, kh, kw}, dst = {n, co, oh, ow};
  memory::dims strides = {g[9], g[10]}, padL = {g[11], g[12]}, padR = {g[13], g[14]};
  auto srcMd = memory::desc(src, dt::f32, tag::nhwc), dstMd = memory::desc(dst, dt::f32, tag::nhwc);
  auto anyW = memory::desc(wei, dt::f32, tag::any);
  primitive_attr attr;
  attr.set_scratchpad_mode(scratchpad_mode::user);
  auto fd = convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, srcMd, anyW, dstMd,
                                      strides, padL, padR);
  auto fpd = convolution_forward::primitive_desc(fd, attr, eng());
  auto p = std::make_unique<Plan>();
  p->userWeights = memory::desc(wei, dt::f32, tag::hwio);
  if (op == 0) {
    p->conv = convolution_forward(fpd);
    p->convWeights = fpd.weights_desc();
    p->scratchpad = fpd.scratchpad_desc();
  } else if (op == 1) {
    auto bd = convolution_backward_data::desc(algorithm::convolution_direct, srcMd, anyW, dstMd, strides, padL, padR);
    auto pd = convolution_backward_data::primitive_desc(bd, attr, eng(), fpd);
    p->conv = convolution_backward_data(pd);
    p->convWeights = pd.weights_desc();
    p->scratchpad = pd.scratchpad_desc();
  } else {
    auto bw = convolution_backward_weights::desc(algorithm::convolution_direct, srcMd, anyW, dstMd, strides, padL, padR);
    auto pd = convolution_backward_weights::primitive_desc(bw, attr, eng(), fpd);
    p->conv = convolution_backward_weights(pd);
    p->convWeights = pd.diff_weights_desc();
    p->scratchpad = pd.scratchpad_desc();
  }
  p->reorderWeights = p->convWeights != p->userWeights;
  if (op == 2) {
    // Weight-gradient parts write into the caller's slabs (backwardWeights): no buffers here.
    if (p->reorderWeights)
      p->fromConv = reorder(reorder::primitive_desc(eng(), p->convWeights, eng(), p->userWeights));
  } else {
    if (p->reorderWeights) {
      p->convWeightsMem = memory(p->convWeights, eng());
      memory user(p->userWeights, eng(), DNNL_MEMORY_NONE);
      p->toConv = reorder(user, p->convWeightsMem);
    }
    p->scratchpadMem = memory(p->scratchpad, eng());
  }
  Plan& ref = *p;
  plans()[key] = std::move(p);
  return ref;
}

// ---- the weight gradient over a fixed split of the batch (see the file comment) ----------------

// Parts of the batch for the weight gradient: at most 8 and N, each with at least kPartRows output
// pixels (a primitive on fewer, e.g. 2 images of 7x7, ran 2-3x slower per FLOP than one on the whole
// batch). Depends on the geometry only.
constexpr int64_t kPartRows = 1568;
int weightChunks(int n, int oh, int ow) {
  const int64_t byRows = int64_t(n) * oh * ow / kPartRows;
  return int(std::max<int64_t>(1, std::min<int64_t>({int64_t(n), 8, byRows})));
}

// A 64-byte-aligned float buffer that only grows (one per batch part, reused across layers).
struct Slab {
  float* data = nullptr;
  size_t floats = 0;
  float* reserve(size_t n) {
    if (n > floats) {
      std::free(data);
      data = static_cast<float*>(std::aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64));
      if (!data) throw std::bad_alloc();
      floats = n;
    }
    return data;
  }
};

std::vector<Slab>& slabs() {
  static std::vector<Slab> s(8);
  return s;
}

// A single-threaded weight-gradient plan for a batch part of `rows` images.
Plan& partPlan(const std::vector<int>& g, int rows) {
  std::vector<int> part(g);
  part[0] = rows;
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  try {
    Plan& p = plan(2, part);
    omp_set_num_threads(threads);
    return p;
  } catch (...) {
    omp_set_num_threads(threads);
    throw;
  }
}

void backwardWeights(const std::vector<int>& g, const float* x, const float* dy, float* out) {
  const int n = g[0], h = g[1], w = g[2], ci = g[3], oh = g[4], ow = g[5], co = g[6];
  const int k = weightChunks(n, oh, ow);
  std::vector<Plan*> parts(k);
  std::vector<int> first(k + 1);
  for (int i = 0; i <= k; i++) first[i] = int((int64_t(i) * n) / k);
  for (int i = 0; i < k; i++) parts[i] = &partPlan(g, first[i + 1] - first[i]);
  // Each part writes its dW (in the primitive's layout) and uses its scratchpad in its own slab.
  const size_t weightFloats = parts[0]->convWeights.get_size() / sizeof(float);
  size_t scratchFloats = 0;
  for (Plan* p : parts) scratchFloats = std::max(scratchFloats, (p->scratchpad.get_size() + 3) / sizeof(float));
  const size_t slabFloats = ((weightFloats + 15) / 16) * 16 + scratchFloats;
  for (int i = 0; i < k; i++) slabs()[i].reserve(slabFloats);
  const size_t xImage = size_t(h) * w * ci, dyImage = size_t(oh) * ow * co;
  std::string failure;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < k; i++) {
    try {
      Plan& p = *parts[i];
      const int rows = first[i + 1] - first[i];
      float* slab = slabs()[i].data;
      stream s(eng());
      memory src(memory::desc({rows, ci, h, w}, dt::f32, tag::nhwc), eng(), const_cast<float*>(x) + first[i] * xImage);
      memory ddst(memory::desc({rows, co, oh, ow}, dt::f32, tag::nhwc), eng(), const_cast<float*>(dy) + first[i] * dyImage);
      memory dw(p.convWeights, eng(), slab);
      memory scratch(p.scratchpad, eng(), slab + ((weightFloats + 15) / 16) * 16);
      p.conv.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, ddst}, {DNNL_ARG_DIFF_WEIGHTS, dw}, {DNNL_ARG_SCRATCHPAD, scratch}});
      s.wait();
    } catch (const std::exception& e) {
#pragma omp critical
      failure = e.what();
    }
  }
  if (!failure.empty()) throw std::runtime_error(failure);
  // Sum the parts in part order (each element on its own: any thread split gives the same sums).
  float* sum = slabs()[0].data;
  const int64_t count = int64_t(weightFloats);
#pragma omp parallel for schedule(static)
  for (int64_t e = 0; e < count; e++) {
    float acc = sum[e];
    for (int i = 1; i < k; i++) acc += slabs()[i].data[e];
    sum[e] = acc;
  }
  Plan& p = *parts[0];
  memory user(p.userWeights, eng(), out);
  stream& s = strm();
  if (p.reorderWeights) {
    memory blocked(p.convWeights, eng(), sum);
    p.fromConv.execute(s, {{DNNL_ARG_FROM, blocked}, {DNNL_ARG_TO, user}});
    s.wait();
  } else {
    std::copy(sum, sum + weightFloats, out);
  }
}

float* floats(napi_env env, napi_value v, size_t* length) {
  napi_typedarray_type type;
  void* data = nullptr;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, &data, &buffer, &offset) != napi_ok || type != napi_float32_array)
    return nullptr;
  return static_cast<float*>(data);
}

napi_value Conv(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (argc != 5) {
    napi_throw_error(env, nullptr, "rescom_onednn.conv: expected (op, a, b, out, geometry)");
    return nullptr;
  }
  int op = -1;
  napi_get_value_int32(env, args[0], &op);
  size_t la, lb, lo, lg;
  float* a = floats(env, args[1], &la);
  float* b = floats(env, args[2], &lb);
  float* out = floats(env, args[3], &lo);
  napi_typedarray_type gtype;
  void* gdata = nullptr;
  napi_value gbuf;
  size_t goff;
  if (napi_get_typedarray_info(env, args[4], &gtype, &lg, &gdata, &gbuf, &goff) != napi_ok || gtype != napi_int32_array ||
      lg != 15 || !a || !b || !out || op < 0 || op > 2) {
    napi_throw_error(env, nullptr, "rescom_onednn.conv: op must be 0-2, a/b/out Float32Arrays, geometry an Int32Array(15)");
    return nullptr;
  }
  std::vector<int> g(static_cast<int*>(gdata), static_cast<int*>(gdata) + 15);
  const size_t x = size_t(g[0]) * g[1] * g[2] * g[3], y = size_t(g[0]) * g[4] * g[5] * g[6],
               wsz = size_t(g[7]) * g[8] * g[3] * g[6];
  const size_t need[3][3] = {{x, wsz, y}, {y, wsz, x}, {x, y, wsz}};
  if (la < need[op][0] || lb < need[op][1] || lo < need[op][2]) {
    napi_throw_error(env, nullptr, "rescom_onednn.conv: an array is shorter than the geometry needs");
    return nullptr;
  }
  try {
    if (op == 2) {
      backwardWeights(g, a, b, out);
      return nullptr;
    }
    Plan& p = plan(op, g);
    const int n = g[0], h = g[1], w = g[2], ci = g[3], oh = g[4], ow = g[5], co = g[6];
    memory::desc srcMd({n, ci, h, w}, dt::f32, tag::nhwc), dstMd({n, co, oh, ow}, dt::f32, tag::nhwc);
    stream& s = strm();
    memory scratch = p.scratchpadMem;
    {
      memory user(p.userWeights, eng(), b);
      memory weights = user;
      if (p.reorderWeights) {
        p.toConv.execute(s, {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, p.convWeightsMem}});
        weights = p.convWeightsMem;
      }
      if (op == 0) {
        memory src(srcMd, eng(), a), dst(dstMd, eng(), out);
        p.conv.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, scratch}});
      } else {
        memory ddst(dstMd, eng(), a), dsrc(srcMd, eng(), out);
        p.conv.execute(s, {{DNNL_ARG_DIFF_DST, ddst}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, dsrc}, {DNNL_ARG_SCRATCHPAD, scratch}});
      }
    }
    s.wait();
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("rescom_onednn.conv: oneDNN: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, (std::string("rescom_onednn.conv: ") + e.what()).c_str());
  }
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
  int n = 0;
  if (argc != 1 || napi_get_value_int32(env, arg, &n) != napi_ok || n < 1) {
    napi_throw_error(env, nullptr, "rescom_onednn.setThreads: expected a positive integer");
    return nullptr;
  }
  omp_set_num_threads(n);
  return nullptr;
}

napi_value Version(napi_env env, napi_callback_info) {
  const dnnl_version_t* v = dnnl_version();
  std::string s = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  // The JIT kernels (and so the last bits of results) differ by instruction set: name it.
  switch (get_effective_cpu_isa()) {
    case cpu_isa::sse41: s += "/sse41"; break;
    case cpu_isa::avx: s += "/avx"; break;
    case cpu_isa::avx2: s += "/avx2"; break;
    case cpu_isa::avx2_vnni: s += "/avx2_vnni"; break;
    case cpu_isa::avx512_core: s += "/avx512_core"; break;
    case cpu_isa::avx512_core_vnni: s += "/avx512_core_vnni"; break;
    case cpu_isa::avx512_core_bf16: s += "/avx512_core_bf16"; break;
    case cpu_isa::avx512_core_amx: s += "/avx512_core_amx"; break;
    default: s += "/other"; break;
  }
  napi_value out;
  napi_create_string_utf8(env, s.c_str(), s.size(), &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv", nullptr, Conv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, Version, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
