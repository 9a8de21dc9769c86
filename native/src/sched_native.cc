// sched's native CPU engine: the actor and critic MLPs of the PPO learner (forward pass, kept
// activations, hand-written backward pass into the flat gradient) on OpenBLAS's cblas_sgemm,
// with fused bias + activation passes. A Node-API addon: the parameter vector, observations,
// outputs and gradient stay JavaScript Float32Arrays; this code only reads and writes them.
// Semantics are those of src/ppo/engine/tf-mlp-engine.ts (same layout, same math); see
// src/ppo/engine/native-engine.ts for the TypeScript side.

#include <node_api.h>
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
// OpenBLAS extensions (declared here so that any cblas.h will do)
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
}

namespace {

enum Activation { LINEAR = 0, RELU = 1, TANH = 2 };
constexpr float LAYER_NORM_EPS = 1e-5f;

struct Layer {
  int in, out, act, ln;
  int64_t wOff, bOff, gOff, beOff;
};

struct Net {
  std::vector<Layer> layers;
  int valuesOut;  // 0: output = logits [n, numActions]; 1: output = values [n]
};

// What one net keeps per layer (hidden layers only; the head writes into the caller's array).
struct NetState {
  std::vector<std::vector<float>> h, zHat, rstd;
};

struct Engine {
  int obsDim = 0;
  int numActions = 0;
  std::vector<Net> nets;
  std::vector<NetState> train, infer;
  std::vector<float> x;  // the kept minibatch input
  std::vector<float> d0, d1;  // backward ping-pong buffers
  int keptN = -1;
  bool destroyed = false;
};

inline void grow(std::vector<float>& v, size_t n) {
  if (v.size() < n) v.resize(n);
}

// tanh as a rational function (the approximation Eigen uses for float: max error ~1 ulp on
// [-7.9, 7.9], saturated outside), which vectorizes unlike libm's tanhf. NaN propagates.
inline float fastTanh(float a) {
  float x = a < -7.90531110763549805f ? -7.90531110763549805f : a;
  x = x > 7.90531110763549805f ? 7.90531110763549805f : x;
  if (a != a) x = a;
  const float x2 = x * x;
  float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
  p = x2 * p + -8.60467152213735e-11f;
  p = x2 * p + 5.12229709037114e-08f;
  p = x2 * p + 1.48572235717979e-05f;
  p = x2 * p + 6.37261928875436e-04f;
  p = x2 * p + 4.89352455891786e-03f;
  p = x * p;
  float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
  q = x2 * q + 2.26843463243900e-03f;
  q = x2 * q + 4.89352518554385e-03f;
  const float r = p / q;
  return std::fabs(a) < 0.0004f ? a : r;
}

// c[r, :] = act(c[r, :] + b) for every row: one pass, bias and activation fused.
void biasActivate(float* c, const float* b, int n, int out, int act) {
  for (int r = 0; r < n; r++) {
    float* row = c + (size_t)r * out;
    if (act == RELU) {
      for (int j = 0; j < out; j++) { const float v = row[j] + b[j]; row[j] = v < 0.f ? 0.f : v; }
    } else if (act == TANH) {
      for (int j = 0; j < out; j++) row[j] = fastTanh(row[j] + b[j]);
    } else {
      for (int j = 0; j < out; j++) row[j] += b[j];
    }
  }
}

// Layer norm after the bias (per row, population variance), then gamma, beta and the activation.
void layerNormActivate(float* c, const float* b, const float* gamma, const float* beta, int n, int out, int act, float* zHat, float* rstd) {
  for (int r = 0; r < n; r++) {
    float* row = c + (size_t)r * out;
    float* zh = zHat + (size_t)r * out;
    float mean = 0.f;
    for (int j = 0; j < out; j++) { row[j] += b[j]; mean += row[j]; }
    mean /= (float)out;
    float var = 0.f;
    for (int j = 0; j < out; j++) { const float d = row[j] - mean; var += d * d; }
    var /= (float)out;
    const float rs = 1.f / std::sqrt(var + LAYER_NORM_EPS);
    rstd[r] = rs;
    for (int j = 0; j < out; j++) {
      zh[j] = (row[j] - mean) * rs;
      const float y = zh[j] * gamma[j] + beta[j];
      row[j] = act == RELU ? (y < 0.f ? 0.f : y) : act == TANH ? fastTanh(y) : y;
    }
  }
}

// sums[j] = sum over rows of m[r, j]
void columnSums(const float* m, int n, int cols, float* sums) {
  std::fill(sums, sums + cols, 0.f);
  for (int r = 0; r < n; r++) {
    const float* row = m + (size_t)r * cols;
    for (int j = 0; j < cols; j++) sums[j] += row[j];
  }
}

void forwardNet(Engine& e, const Net& net, NetState& st, const float* params, const float* x, int n, float* out) {
  const float* a = x;
  const int L = (int)net.layers.size();
  for (int i = 0; i < L; i++) {
    const Layer& l = net.layers[i];
    float* c;
    if (i == L - 1) {
      c = out;
    } else {
      grow(st.h[i], (size_t)n * l.out);
      c = st.h[i].data();
    }
    // C[n, out] = A[n, in] W[in, out]
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, l.out, l.in, 1.f, a, l.in, params + l.wOff, l.out, 0.f, c, l.out);
    if (l.ln) {
      grow(st.zHat[i], (size_t)n * l.out);
      grow(st.rstd[i], (size_t)n);
      layerNormActivate(c, params + l.bOff, params + l.gOff, params + l.beOff, n, l.out, l.act, st.zHat[i].data(), st.rstd[i].data());
    } else {
      biasActivate(c, params + l.bOff, n, l.out, l.act);
    }
    a = c;
  }
  (void)e;
}

void backwardNet(Engine& e, const Net& net, NetState& st, const float* params, int n, const float* dOut, float* grad) {
  const float* dZ = dOut;
  const int L = (int)net.layers.size();
  bool useD0 = true;
  for (int i = L - 1; i >= 0; i--) {
    const Layer& l = net.layers[i];
    const float* a = i == 0 ? e.x.data() : st.h[i - 1].data();
    // dW[in, out] = A^T dZ, straight into the flat gradient; db = column sums of dZ
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, l.in, l.out, n, 1.f, a, l.in, dZ, l.out, 0.f, grad + l.wOff, l.out);
    columnSums(dZ, n, l.out, grad + l.bOff);
    if (i == 0) break;
    std::vector<float>& buf = useD0 ? e.d0 : e.d1;
    useD0 = !useD0;
    grow(buf, (size_t)n * l.in);
    float* dA = buf.data();
    // dA[n, in] = dZ W^T
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, l.in, l.out, 1.f, dZ, l.out, params + l.wOff, l.out, 0.f, dA, l.in);
    const Layer& p = net.layers[i - 1];
    const float* h = st.h[i - 1].data();
    const size_t size = (size_t)n * p.out;
    if (p.act == RELU) {
      for (size_t k = 0; k < size; k++) dA[k] = h[k] > 0.f ? dA[k] : 0.f;
    } else if (p.act == TANH) {
      for (size_t k = 0; k < size; k++) dA[k] *= 1.f - h[k] * h[k];
    }
    if (p.ln) {
      // dY = dA; dGamma = colsum(dY * zHat), dBeta = colsum(dY);
      // dZ = rstd * (dzHat - mean(dzHat) - zHat * mean(dzHat * zHat)), dzHat = dY * gamma
      const float* zHat = st.zHat[i - 1].data();
      const float* rstd = st.rstd[i - 1].data();
      const float* gamma = params + p.gOff;
      float* dGamma = grad + p.gOff;
      float* dBeta = grad + p.beOff;
      std::fill(dGamma, dGamma + p.out, 0.f);
      std::fill(dBeta, dBeta + p.out, 0.f);
      for (int r = 0; r < n; r++) {
        float* dy = dA + (size_t)r * p.out;
        const float* zh = zHat + (size_t)r * p.out;
        float m1 = 0.f, m2 = 0.f;
        for (int j = 0; j < p.out; j++) {
          dGamma[j] += dy[j] * zh[j];
          dBeta[j] += dy[j];
          dy[j] *= gamma[j];
          m1 += dy[j];
          m2 += dy[j] * zh[j];
        }
        m1 /= (float)p.out;
        m2 /= (float)p.out;
        const float rs = rstd[r];
        for (int j = 0; j < p.out; j++) dy[j] = rs * (dy[j] - m1 - zh[j] * m2);
      }
    }
    dZ = dA;
  }
}

// ---- Node-API glue ----

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, nullptr, "sched_native: " #call " failed"); \
      return nullptr;                                                 \
    }                                                                 \
  } while (0)

napi_value throwError(napi_env env, const std::string& msg) {
  napi_throw_error(env, nullptr, msg.c_str());
  return nullptr;
}

// A Float32Array (or Int32Array) argument's data and length; false (and a thrown error) otherwise.
bool typedArg(napi_env env, napi_value v, napi_typedarray_type want, void** data, size_t* length, const char* what) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  napi_typedarray_type type;
  napi_value ab;
  size_t off;
  if (!is || napi_get_typedarray_info(env, v, &type, length, data, &ab, &off) != napi_ok || type != want) {
    napi_throw_type_error(env, nullptr, (std::string("sched_native: ") + what + " must be a " + (want == napi_float32_array ? "Float32Array" : "Int32Array")).c_str());
    return false;
  }
  return true;
}

// The call's first `want` arguments into argv; false (and a thrown error naming `fn`) when fewer were given.
bool callArgs(napi_env env, napi_callback_info info, size_t want, napi_value* argv, const char* fn) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < want) {
    napi_throw_error(env, nullptr, (std::string("sched_native.") + fn + ": expected " + std::to_string(want) + " arguments").c_str());
    return false;
  }
  return true;
}

// A Float32Array argument's data and length.
bool floatArg(napi_env env, napi_value v, float** data, size_t* length, const char* what) {
  return typedArg(env, v, napi_float32_array, reinterpret_cast<void**>(data), length, what);
}

bool engineArg(napi_env env, napi_value v, Engine** out) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == nullptr) {
    napi_throw_type_error(env, nullptr, "sched_native: not an engine handle");
    return false;
  }
  *out = static_cast<Engine*>(p);
  if ((*out)->destroyed) {
    napi_throw_error(env, nullptr, "sched_native: engine used after destroy()");
    return false;
  }
  return true;
}

bool intArg(napi_env env, napi_value v, int* out, const char* what) {
  int32_t i;
  if (napi_get_value_int32(env, v, &i) != napi_ok) {
    napi_throw_type_error(env, nullptr, (std::string("sched_native: ") + what + " must be an integer").c_str());
    return false;
  }
  *out = i;
  return true;
}

// The engine of a call whose one argument is the handle; null (and a thrown error) otherwise.
Engine* onlyEngineArg(napi_env env, napi_callback_info info, const char* fn) {
  napi_value argv[1];
  Engine* e = nullptr;
  if (!callArgs(env, info, 1, argv, fn) || !engineArg(env, argv[0], &e)) return nullptr;
  return e;
}

void finalizeEngine(napi_env, void* data, void*) {
  delete static_cast<Engine*>(data);
}

// create(obsDim, numActions, desc: Int32Array, paramCount) -> handle.
// desc: numNets, then per net: valuesOut, numLayers, then per layer: in, out, act, ln, wOff, bOff, gOff, beOff.
napi_value Create(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!callArgs(env, info, 4, argv, "create")) return nullptr;
  int obsDim = 0, numActions = 0, paramCount = 0;
  if (!intArg(env, argv[0], &obsDim, "obsDim") || !intArg(env, argv[1], &numActions, "numActions") || !intArg(env, argv[3], &paramCount, "paramCount")) return nullptr;
  void* data;
  size_t len;
  if (!typedArg(env, argv[2], napi_int32_array, &data, &len, "desc")) return nullptr;
  const int32_t* d = static_cast<const int32_t*>(data);
  auto* e = new Engine();
  e->obsDim = obsDim;
  e->numActions = numActions;
  size_t k = 0;
  auto next = [&](int32_t* v) { if (k >= len) return false; *v = d[k++]; return true; };
  int32_t numNets = 0;
  bool ok = next(&numNets) && numNets > 0 && numNets <= 2;
  for (int ni = 0; ok && ni < numNets; ni++) {
    Net net;
    int32_t valuesOut = 0, numLayers = 0;
    ok = next(&valuesOut) && next(&numLayers) && numLayers > 0;
    net.valuesOut = valuesOut;
    int prevOut = obsDim;
    for (int li = 0; ok && li < numLayers; li++) {
      int32_t f[8];
      for (int j = 0; ok && j < 8; j++) ok = next(&f[j]);
      if (!ok) break;
      Layer l{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]};
      ok = l.in == prevOut && l.out > 0 && l.act >= 0 && l.act <= 2 && l.wOff >= 0 && l.wOff + (int64_t)l.in * l.out <= paramCount &&
           l.bOff >= 0 && l.bOff + l.out <= paramCount && (!l.ln || (l.gOff >= 0 && l.gOff + l.out <= paramCount && l.beOff >= 0 && l.beOff + l.out <= paramCount));
      prevOut = l.out;
      net.layers.push_back(l);
    }
    ok = ok && prevOut == (valuesOut ? 1 : numActions);
    e->nets.push_back(net);
  }
  if (!ok || k != len) {
    delete e;
    return throwError(env, "sched_native.create: the layer description does not match the parameter layout");
  }
  for (const Net& net : e->nets) {
    NetState st;
    st.h.resize(net.layers.size());
    st.zHat.resize(net.layers.size());
    st.rstd.resize(net.layers.size());
    e->train.push_back(st);
    e->infer.push_back(st);
  }
  napi_value handle;
  if (napi_create_external(env, e, finalizeEngine, nullptr, &handle) != napi_ok) {
    delete e;
    return throwError(env, "sched_native.create: napi_create_external failed");
  }
  return handle;
}

// forward(handle, params, obs, n, logits, values, train: boolean)
napi_value Forward(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  if (!callArgs(env, info, 7, argv, "forward")) return nullptr;
  Engine* e;
  int n = 0;
  float *params, *obs, *logits, *values;
  size_t pLen, oLen, lLen, vLen;
  bool train = false;
  if (!engineArg(env, argv[0], &e) || !floatArg(env, argv[1], &params, &pLen, "params") ||
      !floatArg(env, argv[2], &obs, &oLen, "obs") || !intArg(env, argv[3], &n, "n") ||
      !floatArg(env, argv[4], &logits, &lLen, "logits") ||
      !floatArg(env, argv[5], &values, &vLen, "values")) return nullptr;
  CHECK(napi_get_value_bool(env, argv[6], &train));
  if (n < 0 || oLen < (size_t)n * e->obsDim || lLen < (size_t)n * e->numActions || vLen < (size_t)n) {
    return throwError(env, "sched_native.forward: n = " + std::to_string(n) + " rows do not fit the given arrays");
  }
  if (n == 0) return nullptr;
  const float* x = obs;
  if (train) {
    grow(e->x, (size_t)n * e->obsDim);
    std::memcpy(e->x.data(), obs, sizeof(float) * (size_t)n * e->obsDim);
    x = e->x.data();
  }
  for (size_t k = 0; k < e->nets.size(); k++) {
    const Net& net = e->nets[k];
    forwardNet(*e, net, train ? e->train[k] : e->infer[k], params, x, n, net.valuesOut ? values : logits);
  }
  e->keptN = train ? n : e->keptN;
  return nullptr;
}

// backward(handle, params, dLogits, dValues, grad)
napi_value Backward(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!callArgs(env, info, 5, argv, "backward")) return nullptr;
  Engine* e;
  float *params, *dLogits, *dValues, *grad;
  size_t pLen, lLen, vLen, gLen;
  if (!engineArg(env, argv[0], &e) || !floatArg(env, argv[1], &params, &pLen, "params") ||
      !floatArg(env, argv[2], &dLogits, &lLen, "dLogits") ||
      !floatArg(env, argv[3], &dValues, &vLen, "dValues") ||
      !floatArg(env, argv[4], &grad, &gLen, "grad")) return nullptr;
  const int n = e->keptN;
  if (n < 0) return throwError(env, "sched_native.backward: call forward with train = true first");
  if (lLen < (size_t)n * e->numActions || vLen < (size_t)n || gLen != pLen) {
    return throwError(env, "sched_native.backward: the gradient arrays do not fit the kept batch of " + std::to_string(n) + " rows");
  }
  e->keptN = -1;
  if (n == 0) {
    std::fill(grad, grad + gLen, 0.f);
    return nullptr;
  }
  for (size_t k = 0; k < e->nets.size(); k++) {
    const Net& net = e->nets[k];
    backwardNet(*e, net, e->train[k], params, n, net.valuesOut ? dValues : dLogits, grad);
  }
  return nullptr;
}

// release(handle): forget the kept batch
napi_value Release(napi_env env, napi_callback_info info) {
  Engine* e = onlyEngineArg(env, info, "release");
  if (e) e->keptN = -1;
  return nullptr;
}

// destroy(handle): frees the engine's buffers now (the handle's finalizer frees the rest)
napi_value Destroy(napi_env env, napi_callback_info info) {
  Engine* e = onlyEngineArg(env, info, "destroy");
  if (!e) return nullptr;
  Engine empty;
  std::swap(*e, empty);
  e->destroyed = true;
  return nullptr;
}

// The optimizer step of src/ppo/adam.ts in one pass over the vectors: global L2 norm of grad
// (PyTorch clip_grad_norm_: scaled by maxNorm / (norm + 1e-6) when that is below 1), then Adam
// (PyTorch's arrangement) on params, m, v. Same double-precision arithmetic as the JavaScript
// (compiled without FMA contraction). A non-finite norm changes nothing.
double clipAndAdam(float* __restrict params, float* __restrict grad, float* __restrict m, float* __restrict v, size_t size, double lr, double step, double b1, double b2, double eps, double maxNorm) {
  double part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= size; i += 8)
    for (int k = 0; k < 8; k++) part[k] += (double)grad[i + k] * grad[i + k];
  for (; i < size; i++) part[0] += (double)grad[i] * grad[i];
  const double norm = std::sqrt(((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7])));
  if (!std::isfinite(norm)) return norm;
  const double coef = maxNorm / (norm + 1e-6);
  const bool clip = coef < 1;
  const double bc1 = 1 - std::pow(b1, step);
  const double bc2Sqrt = std::sqrt(1 - std::pow(b2, step));
  const double stepSize = lr / bc1;
  if (clip)
    for (size_t j = 0; j < size; j++) grad[j] = (float)(grad[j] * coef);
  for (size_t j = 0; j < size; j++) {
    const double g = grad[j];
    const double mi = b1 * m[j] + (1 - b1) * g;
    const double vi = b2 * v[j] + (1 - b2) * g * g;
    m[j] = (float)mi;
    v[j] = (float)vi;
    params[j] = (float)(params[j] - (stepSize * mi) / (std::sqrt(vi) / bc2Sqrt + eps));
  }
  return norm;
}

// clipAndAdam(params, grad, m, v, lr, step, beta1, beta2, eps, maxNorm) -> norm before clipping
napi_value ClipAndAdam(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!callArgs(env, info, 10, argv, "clipAndAdam")) return nullptr;
  float *params, *grad, *m, *v;
  size_t pLen, gLen, mLen, vLen;
  if (!floatArg(env, argv[0], &params, &pLen, "params") || !floatArg(env, argv[1], &grad, &gLen, "grad") ||
      !floatArg(env, argv[2], &m, &mLen, "m") || !floatArg(env, argv[3], &v, &vLen, "v")) return nullptr;
  if (gLen != pLen || mLen != pLen || vLen != pLen) return throwError(env, "sched_native.clipAndAdam: params, grad, m and v must have the same length");
  double x[6];
  for (int k = 0; k < 6; k++) CHECK(napi_get_value_double(env, argv[4 + k], &x[k]));
  napi_value out;
  CHECK(napi_create_double(env, clipAndAdam(params, grad, m, v, pLen, x[0], x[1], x[2], x[3], x[4], x[5]), &out));
  return out;
}

// setThreads(n)
napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!callArgs(env, info, 1, argv, "setThreads")) return nullptr;
  int n = 0;
  if (!intArg(env, argv[0], &n, "threads")) return nullptr;
  if (n < 1) return throwError(env, "sched_native.setThreads: threads must be >= 1");
  openblas_set_num_threads(n);
  return nullptr;
}

// info() -> { threads, config, corename }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, threads, config, core;
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &core));
  CHECK(napi_set_named_property(env, obj, "threads", threads));
  CHECK(napi_set_named_property(env, obj, "config", config));
  CHECK(napi_set_named_property(env, obj, "corename", core));
  return obj;
}

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor props[] = {
      {"create", nullptr, Create, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"forward", nullptr, Forward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"backward", nullptr, Backward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"release", nullptr, Release, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"destroy", nullptr, Destroy, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clipAndAdam", nullptr, ClipAndAdam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
