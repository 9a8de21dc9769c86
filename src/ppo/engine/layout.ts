import type { NetworkConfig } from '../hyperparams.js';
import type { Rng } from '../../util/rng.js';

/** One dense layer inside the flat parameter vector. W is `[in, out]` row-major (tfjs Dense kernel layout). */
export interface LayerSpec {
  in: number;
  out: number;
  wOffset: number;
  bOffset: number;
  /** Layer norm (after the matMul, before the activation) on hidden layers when enabled. */
  lnGammaOffset: number;
  lnBetaOffset: number;
  activation: 'relu' | 'tanh' | 'linear';
  layerNorm: boolean;
  /** Orthogonal-init gain. */
  gain: number;
}

export interface NetSpec {
  layers: LayerSpec[];
  offset: number;
  size: number;
}

/** Actor (obs -> logits) and critic (obs -> value), separate networks, one flat vector. */
export interface ParamLayout {
  obsDim: number;
  numActions: number;
  network: NetworkConfig;
  actor: NetSpec;
  critic: NetSpec;
  size: number;
}

export const LAYER_NORM_EPS = 1e-5;

export function buildLayout(obsDim: number, numActions: number, network: NetworkConfig): ParamLayout {
  let offset = 0;
  const net = (outDim: number, headGain: number): NetSpec => {
    const start = offset;
    const sizes = [obsDim, ...network.hiddenSizes, outDim];
    const layers: LayerSpec[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const hidden = l + 2 < sizes.length;
      const spec: LayerSpec = {
        in: sizes[l],
        out: sizes[l + 1],
        wOffset: offset,
        bOffset: offset + sizes[l] * sizes[l + 1],
        lnGammaOffset: -1,
        lnBetaOffset: -1,
        activation: hidden ? network.activation : 'linear',
        layerNorm: hidden && network.layerNorm,
        gain: hidden ? Math.SQRT2 : headGain,
      };
      offset = spec.bOffset + spec.out;
      if (spec.layerNorm) {
        spec.lnGammaOffset = offset;
        spec.lnBetaOffset = offset + spec.out;
        offset += 2 * spec.out;
      }
      layers.push(spec);
    }
    return { layers, offset: start, size: offset - start };
  };
  // SB3 ActorCriticPolicy: gains sqrt(2) for hidden layers, 0.01 policy head, 1 value head
  const actor = net(numActions, 0.01);
  const critic = net(1, 1);
  return { obsDim, numActions, network: { ...network, hiddenSizes: [...network.hiddenSizes] }, actor, critic, size: offset };
}

/** Fresh parameters: orthogonal weights with the layer gains, zero biases, LN gamma 1 beta 0. */
export function initParams(layout: ParamLayout, rng: Rng): Float32Array {
  const p = new Float32Array(layout.size);
  for (const net of [layout.actor, layout.critic]) {
    for (const l of net.layers) {
      orthogonalInto(p, l.wOffset, l.in, l.out, l.gain, rng);
      if (l.layerNorm) p.fill(1, l.lnGammaOffset, l.lnGammaOffset + l.out);
    }
  }
  return p;
}

/**
 * Writes an `[rows, cols]` matrix with orthonormal columns (rows >= cols) or rows (rows < cols),
 * times `gain` (Saxe et al. 2014; torch `orthogonal_`: QR of a Gaussian matrix with the signs
 * of R's diagonal made positive, which Gram-Schmidt gives directly).
 */
export function orthogonalInto(out: Float32Array, offset: number, rows: number, cols: number, gain: number, rng: Rng): void {
  const tall = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  const q = new Float64Array(tall * short); // column-major: column c at c * tall
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let c = 0; c < short; c++) {
    const qc = c * tall;
    for (let pass = 0; pass < 2; pass++) {
      // modified Gram-Schmidt, twice for numerical orthogonality
      for (let k = 0; k < c; k++) {
        const qk = k * tall;
        let dot = 0;
        for (let i = 0; i < tall; i++) dot += q[qc + i] * q[qk + i];
        for (let i = 0; i < tall; i++) q[qc + i] -= dot * q[qk + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += q[qc + i] * q[qc + i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < tall; i++) q[qc + i] /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = rows >= cols ? q[c * tall + r] : q[r * tall + c];
      out[offset + r * cols + c] = gain * v;
    }
  }
}
