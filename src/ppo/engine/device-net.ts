import type { LayerSpec, NetSpec, ParamLayout } from './layout.js';

/** A rectangle of a device layer's weight matrix that holds one parameter matrix. */
export interface Block {
  row: number;
  col: number;
  rows: number;
  cols: number;
  wOffset: number;
  bOffset: number;
}

/** One layer as computed on the device: possibly several parameter blocks side by side. */
export interface DeviceLayer {
  in: number;
  out: number;
  activation: LayerSpec['activation'];
  layerNorm: boolean;
  lnGammaOffset: number;
  lnBetaOffset: number;
  blocks: Block[];
  /** The input is the output of a tanh layer, carried as s = sigmoid(2z). */
  inSig: boolean;
}

/** Where the device net's output columns go. */
export interface DeviceNet {
  layers: DeviceLayer[];
  /** Output columns [0, logitCols) are logits when > 0; column `valueCol` is the value when >= 0. */
  logitCols: number;
  valueCol: number;
}

/**
 * How the actor and the critic run on the device: separately (two nets), or merged into one
 * net of twice the width with block-diagonal weights (the same math in half the ops, but the
 * zero blocks cost flops and weight packing). On wasm, merging measured slower even for
 * CartPole's [64, 64] (GEMM and packing time grew more than dispatch time shrank), so it is
 * off unless asked for; a backend with a high per-op cost (a GPU) may prefer it. Layer norm
 * normalizes per net, so it never merges.
 */
export function deviceNets(layout: ParamLayout, merge: boolean): DeviceNet[] {
  const doMerge = merge && !layout.network.layerNorm;
  const single = (net: NetSpec): DeviceLayer[] =>
    net.layers.map((l, i) => ({
      in: l.in, out: l.out, activation: l.activation, layerNorm: l.layerNorm, lnGammaOffset: l.lnGammaOffset, lnBetaOffset: l.lnBetaOffset,
      blocks: [{ row: 0, col: 0, rows: l.in, cols: l.out, wOffset: l.wOffset, bOffset: l.bOffset }],
      inSig: i > 0 && net.layers[i - 1].activation === 'tanh',
    }));
  if (!doMerge) {
    return [
      { layers: single(layout.actor), logitCols: layout.numActions, valueCol: -1 },
      { layers: single(layout.critic), logitCols: 0, valueCol: 0 },
    ];
  }
  const a = layout.actor.layers;
  const c = layout.critic.layers;
  const layers: DeviceLayer[] = a.map((la, i) => {
    const lc = c[i];
    const first = i === 0;
    return {
      in: first ? la.in : la.in + lc.in,
      out: la.out + lc.out,
      activation: la.activation,
      layerNorm: false,
      lnGammaOffset: -1,
      lnBetaOffset: -1,
      blocks: [
        { row: 0, col: 0, rows: la.in, cols: la.out, wOffset: la.wOffset, bOffset: la.bOffset },
        { row: first ? 0 : la.in, col: la.out, rows: lc.in, cols: lc.out, wOffset: lc.wOffset, bOffset: lc.bOffset },
      ],
      inSig: i > 0 && a[i - 1].activation === 'tanh',
    };
  });
  return [{ layers, logitCols: layout.numActions, valueCol: layout.numActions }];
}

/**
 * Writes a device layer's weights `[in, out]` and bias in device form into `w`, `b`. A tanh
 * layer's output h is carried as s = sigmoid(2z), h = 2s - 1 (wasm's tanh is a scalar libm
 * loop ~15x slower than its vectorized sigmoid, which also fuses into the matMul): a tanh layer
 * gets weights and bias x2, and a layer reading s gets W' = 2W, b' = b - colsum(W)
 * (since h W + b = s (2W) + b - 1ᵀW). Returns false (nothing written) when the plain
 * parameters can be used as they are.
 */
export function deviceWeights(l: DeviceLayer, p: Float32Array, w: Float32Array, b: Float32Array, force: boolean): boolean {
  const outScale = l.activation === 'tanh' && !l.layerNorm ? 2 : 1;
  const wScale = (l.inSig ? 2 : 1) * outScale;
  if (!force && wScale === 1 && !l.inSig && l.blocks.length === 1) return false;
  if (l.blocks.length > 1) w.fill(0, 0, l.in * l.out);
  for (const k of l.blocks) {
    for (let c = 0; c < k.cols; c++) b[k.col + c] = p[k.bOffset + c];
    for (let r = 0; r < k.rows; r++) {
      const src = k.wOffset + r * k.cols;
      const dst = (k.row + r) * l.out + k.col;
      for (let c = 0; c < k.cols; c++) w[dst + c] = p[src + c] * wScale;
      if (l.inSig) for (let c = 0, bo = k.col; c < k.cols; c++) b[bo + c] -= p[src + c];
    }
  }
  if (outScale !== 1) for (let j = 0; j < l.out; j++) b[j] *= outScale;
  return true;
}

/**
 * The transposed weights `[out, in]` for the backward pass (dA = dZ W^T), x4 when the input is
 * a tanh layer's s (d tanh = 4 s (1 - s) is split as 4 here and s (1 - s) on the device).
 */
export function deviceWeightsT(l: DeviceLayer, p: Float32Array, wT: Float32Array): void {
  const scale = l.inSig ? 4 : 1;
  if (l.blocks.length > 1) wT.fill(0, 0, l.in * l.out);
  for (const k of l.blocks) {
    for (let r = 0; r < k.rows; r++) {
      const src = k.wOffset + r * k.cols;
      for (let c = 0; c < k.cols; c++) wT[(k.col + c) * l.in + k.row + r] = p[src + c] * scale;
    }
  }
}

/**
 * Scatters a device layer's gradient (`m` = A^T dZ `[in, out]`, `db` `[out]`) into the flat
 * gradient. With an s input, dW = h^T dZ = 2 s^T dZ - 1 db.
 */
export function scatterGrad(l: DeviceLayer, m: Float32Array, db: Float32Array, grad: Float32Array): void {
  for (const k of l.blocks) {
    for (let c = 0; c < k.cols; c++) grad[k.bOffset + c] = db[k.col + c];
    for (let r = 0; r < k.rows; r++) {
      const src = (k.row + r) * l.out + k.col;
      const dst = k.wOffset + r * k.cols;
      if (l.inSig) for (let c = 0; c < k.cols; c++) grad[dst + c] = 2 * m[src + c] - db[k.col + c];
      else for (let c = 0; c < k.cols; c++) grad[dst + c] = m[src + c];
    }
  }
}
