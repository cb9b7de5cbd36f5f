// rescom_onednn: an optional N-API addon running convolutions on Debian's oneDNN (libdnnl, 2.x API).
// Built by scripts/build-native.sh only when <dnnl.hpp> is present; loaded by
// src/backend/wasm/onednn.ts, which registers it for the tfjs wasm backend.
//
// conv(op, a, b, out, geometry) works in place on Float32Arrays (the wasm heap, a SharedArrayBuffer):
//   op 0 forward:          a = x [N,H,W,Ci], b = filter [KH,KW,Ci,Co] (HWIO), out = y [N,OH,OW,Co]
//   op 1 backward data:    a = dy [N,OH,OW,Co], b = filter,                   out = dx [N,H,W,Ci]
//   op 2 backward weights: a = x,               b = dy,                       out = dW [KH,KW,Ci,Co]
// geometry: Int32Array [N,H,W,Ci,OH,OW,Co,KH,KW,SH,SW,padTop,padLeft,padBottom,padRight].
// Primitives are created once per (op, geometry) and cached; filters are reordered to oneDNN's
// blocked layout per call (they are small).
#include <node_api.h>
#include <omp.h>

#include <dnnl.hpp>
#include <map>
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

Plan& plan(int op, const std::vector<int>& g) {
  std::vector<int> key(g);
  key.push_back(op);
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
  if (p->reorderWeights) {
    p->convWeightsMem = memory(p->convWeights, eng());
    memory user(p->userWeights, eng(), DNNL_MEMORY_NONE);
    if (op == 2)
      p->fromConv = reorder(p->convWeightsMem, user);
    else
      p->toConv = reorder(user, p->convWeightsMem);
  }
  p->scratchpadMem = memory(p->scratchpad, eng());
  Plan& ref = *p;
  plans()[key] = std::move(p);
  return ref;
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
    Plan& p = plan(op, g);
    const int n = g[0], h = g[1], w = g[2], ci = g[3], oh = g[4], ow = g[5], co = g[6];
    memory::desc srcMd({n, ci, h, w}, dt::f32, tag::nhwc), dstMd({n, co, oh, ow}, dt::f32, tag::nhwc);
    stream& s = strm();
    memory scratch = p.scratchpadMem;
    if (op == 0 || op == 1) {
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
    } else {
      memory src(srcMd, eng(), a), ddst(dstMd, eng(), b), user(p.userWeights, eng(), out);
      memory dw = p.reorderWeights ? p.convWeightsMem : user;
      p.conv.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, ddst}, {DNNL_ARG_DIFF_WEIGHTS, dw}, {DNNL_ARG_SCRATCHPAD, scratch}});
      if (p.reorderWeights) p.fromConv.execute(s, {{DNNL_ARG_FROM, p.convWeightsMem}, {DNNL_ARG_TO, user}});
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
