import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { HEAPF32: Float32Array };
}

/**
 * Copies a float32 tensor's values into `out` at `offset`. On the WebAssembly backend it reads
 * the wasm heap directly (tfjs' `dataSync` there copies through `HEAPU8.slice`, ~20x slower
 * for large tensors); elsewhere it uses `dataSync`.
 */
export function readInto(t: tf.Tensor, out: Float32Array, offset = 0): void {
  const n = t.size;
  const be = tf.backend() as unknown as Partial<WasmBackendInternals>;
  if (tf.getBackend() === 'wasm' && be.dataIdMap && be.wasm) {
    const rec = be.dataIdMap.get(t.dataId);
    if (rec && typeof rec.memoryOffset === 'number') {
      const start = rec.memoryOffset >> 2;
      out.set(be.wasm.HEAPF32.subarray(start, start + n), offset);
      return;
    }
  }
  out.set(t.dataSync() as Float32Array, offset);
}

/** Transposes a row-major `[rows, cols]` block of `src` (from `offset`) into `dst` `[cols, rows]`. */
export function transposeInto(src: Float32Array, offset: number, rows: number, cols: number, dst: Float32Array): void {
  for (let i = 0; i < rows; i++) {
    const o = offset + i * cols;
    for (let j = 0; j < cols; j++) dst[j * rows + i] = src[o + j];
  }
}
