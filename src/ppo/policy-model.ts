import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchedError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import { LAYER_NORM_EPS, type NetSpec } from './engine/layout.js';

/** One weight of a saved layers model: where it lives in the flat parameter vector. */
interface WeightSlot {
  name: string;
  shape: number[];
  offset: number;
}

/** The weights of `net` in the order tfjs-layers saves them, with their flat offsets. */
function weightSlots(net: NetSpec, prefix: string): WeightSlot[] {
  const out: WeightSlot[] = [];
  net.layers.forEach((l, i) => {
    out.push({ name: `${prefix}_dense_${i}/kernel`, shape: [l.in, l.out], offset: l.wOffset });
    out.push({ name: `${prefix}_dense_${i}/bias`, shape: [l.out], offset: l.bOffset });
    if (l.layerNorm) {
      out.push({ name: `${prefix}_ln_${i}/gamma`, shape: [l.out], offset: l.lnGammaOffset });
      out.push({ name: `${prefix}_ln_${i}/beta`, shape: [l.out], offset: l.lnBetaOffset });
    }
  });
  return out;
}

/**
 * A tfjs-layers Sequential model of one net (Dense [+ LayerNormalization + Activation]) holding
 * the given parameters. The policy model maps observations to raw logits; apply the action
 * mask (invalid logits to -1e8) before the softmax / argmax.
 */
export function buildLayersModel(net: NetSpec, prefix: string, params: Float32Array): tfl.Sequential {
  const model = tfl.sequential({ name: prefix });
  net.layers.forEach((l, i) => {
    model.add(
      tfl.layers.dense({
        units: l.out,
        activation: l.layerNorm ? 'linear' : l.activation,
        inputShape: i === 0 ? [l.in] : undefined,
        kernelInitializer: 'zeros',
        name: `${prefix}_dense_${i}`,
      }),
    );
    if (l.layerNorm) {
      model.add(tfl.layers.layerNormalization({ axis: -1, epsilon: LAYER_NORM_EPS, name: `${prefix}_ln_${i}` }));
      model.add(tfl.layers.activation({ activation: l.activation, name: `${prefix}_act_${i}` }));
    }
  });
  const slots = weightSlots(net, prefix);
  const byName = new Map(slots.map((s) => [s.name, s]));
  const values = model.weights.map((w) => {
    const s = byName.get(w.originalName ?? w.name);
    if (!s) throw new Error(`buildLayersModel: unexpected weight ${w.name}`);
    const size = s.shape.reduce((a, b) => a * b, 1);
    return tf.tensor(params.slice(s.offset, s.offset + size), s.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

/** Saves `net` as `<dir>/model.json` + `<dir>/weights.bin` (tf.loadLayersModel format), each atomically. */
export async function saveLayersModel(dir: string, net: NetSpec, prefix: string, params: Float32Array): Promise<Uint8Array> {
  const model = buildLayersModel(net, prefix, params);
  let bin: Uint8Array = new Uint8Array(0);
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const wd = artifacts.weightData;
        const buffers = wd === undefined ? [] : Array.isArray(wd) ? wd : [wd];
        const total = buffers.reduce((a, b) => a + b.byteLength, 0);
        bin = new Uint8Array(total);
        let o = 0;
        for (const b of buffers) {
          bin.set(new Uint8Array(b), o);
          o += b.byteLength;
        }
        writeFileAtomic(join(dir, 'weights.bin'), bin);
        writeJsonAtomic(join(dir, 'model.json'), {
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: total } };
      }),
    );
  } finally {
    model.dispose();
  }
  return bin;
}

/**
 * Reads the parameters of `net` back from `<dir>/model.json` + weights into `params`. Any
 * missing file, unexpected weight name or shape, or wrong byte size is a
 * SchedError('CHECKPOINT') naming the file. Returns the raw weights file (for checksums).
 */
export function readLayersModelParams(dir: string, net: NetSpec, prefix: string, params: Float32Array): Uint8Array {
  const jsonPath = join(dir, 'model.json');
  let manifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  try {
    const j = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weightsManifest?: typeof manifest };
    if (!Array.isArray(j.weightsManifest) || j.weightsManifest.length !== 1) throw new Error('no single weightsManifest entry');
    manifest = j.weightsManifest;
  } catch (err) {
    throw checkpointError(jsonPath, err);
  }
  const binPath = join(dir, manifest[0].paths?.[0] ?? 'weights.bin');
  let bin: Buffer;
  try {
    bin = readFileSync(binPath);
  } catch (err) {
    throw checkpointError(binPath, err);
  }
  const slots = weightSlots(net, prefix);
  const specs = manifest[0].weights;
  const problems: string[] = [];
  if (!Array.isArray(specs) || specs.length !== slots.length) {
    problems.push(`expected ${slots.length} weights, found ${Array.isArray(specs) ? specs.length : 'none'}`);
  } else {
    let byteOffset = 0;
    specs.forEach((sp, i) => {
      const s = slots[i];
      if (sp.name !== s.name || sp.dtype !== 'float32' || JSON.stringify(sp.shape) !== JSON.stringify(s.shape)) {
        problems.push(`weights[${i}]: expected ${s.name} float32 ${JSON.stringify(s.shape)}, found ${sp.name} ${sp.dtype} ${JSON.stringify(sp.shape)}`);
      }
      byteOffset += s.shape.reduce((a, b) => a * b, 1) * 4;
    });
    if (problems.length === 0 && byteOffset !== bin.byteLength) {
      throw new SchedError('CHECKPOINT', `corrupted checkpoint file ${binPath}: ${bin.byteLength} bytes, expected ${byteOffset}`);
    }
  }
  if (problems.length) throw new SchedError('CHECKPOINT', `checkpoint ${jsonPath} does not match the network (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  let o = 0;
  for (const s of slots) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    params.set(floats.subarray(o, o + size), s.offset);
    o += size;
  }
  return new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength);
}

export function checkpointError(path: string, err: unknown): SchedError {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return new SchedError('CHECKPOINT', `missing checkpoint file ${path}`, [], { cause: err });
  const reason = err instanceof Error ? err.message : String(err);
  return new SchedError('CHECKPOINT', `corrupted checkpoint file ${path}: ${reason}`, [], { cause: err });
}

/** An IOHandler that loads a saved model folder from disk (tfjs-node's `file://` does the same). */
export function fileModelHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const bin = readFileSync(join(dir, j.weightsManifest[0].paths[0]));
      return {
        modelTopology: j.modelTopology,
        format: j.format,
        generatedBy: j.generatedBy,
        convertedBy: j.convertedBy,
        weightSpecs: j.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      };
    },
  };
}
