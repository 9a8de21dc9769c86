import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { SchedError } from '../errors.js';
import type { Logger } from '../log.js';
import { loadNativeAddon, type NativeAddon } from './engine/native-engine.js';

export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'native' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'];

export interface BackendInfo {
  /**
   * The backend now in use: 'tensorflow' (libtensorflow, CPU or CUDA), 'wasm' or 'cpu' (tfjs
   * backends running the TensorFlow.js engine), or 'native' (the native engine; tfjs' pure JS
   * backend is then active for what remains of tfjs: saving and loading checkpoints).
   */
  name: 'tensorflow' | 'native' | 'wasm' | 'cpu';
  /** What runs the math, e.g. 'CUDA GPU (libtensorflow)', 'CPU (OpenBLAS Haswell, 2 threads)', 'CPU (WebAssembly SIMD, 1 thread)'. */
  device: string;
  /** Why this backend was chosen, including why better ones were not. */
  reason: string;
}

/** Imports a package by name; tests inject a fake one. */
export type ModuleLoader = (pkg: string) => Promise<unknown>;

const defaultLoader: ModuleLoader = (pkg) => import(pkg);

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const NODE_PACKAGE = '@tensorflow/tfjs-node';
export const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

export interface SelectOptions {
  loader?: ModuleLoader;
  log?: Logger;
  /** Resolves the directory holding the wasm binaries (tests override). */
  wasmDir?: () => string;
  /** Threads of the native engine (default: one per free core, see `defaultThreads`). */
  threads?: number;
  /** Loads the native addon, or says why it cannot (tests override). */
  nativeAddon?: () => NativeAddon | string;
}

/**
 * Selects and activates a backend. `auto` tries, in order: the CUDA tfjs-node package when it
 * is installed and loads, the CPU tfjs-node package, the native engine (OpenBLAS, when its
 * addon was built), the WebAssembly backend, the pure JS backend. The native packages are optional peers imported dynamically (never
 * statically), so their absence breaks nothing. They must share this project's single copy of
 * @tensorflow/tfjs-core (install the same version, 4.22.0), otherwise they register their
 * backend in another copy and are reported as unusable. Throws SchedError('BACKEND') when an
 * explicitly requested backend cannot be used.
 */
export async function selectBackend(choice: BackendChoice = 'auto', opts: SelectOptions = {}): Promise<BackendInfo> {
  const loader = opts.loader ?? defaultLoader;
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new SchedError('USAGE', `unknown backend "${String(choice)}"; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  const skipped: string[] = [];
  const attempts: Record<Exclude<BackendChoice, 'auto'>, () => Promise<BackendInfo | string>> = {
    'tensorflow-gpu': () => tryNative(GPU_PACKAGE, true, loader),
    tensorflow: () => tryNative(NODE_PACKAGE, false, loader),
    native: () => tryNativeEngine(opts),
    wasm: () => tryWasm(loader, opts.wasmDir),
    cpu: async () => {
      if (!(await activateCpu())) return 'the cpu backend did not initialize';
      return { name: 'cpu', device: 'CPU (pure JavaScript)', reason: '' };
    },
  };
  const order: Exclude<BackendChoice, 'auto'>[] = choice === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] : [choice];
  for (const name of order) {
    const r = await attempts[name]();
    if (typeof r !== 'string') {
      const why = choice === 'auto' ? `auto: ${skipped.length ? skipped.join('; ') + '; ' : ''}using ${name}` : `requested ${name}`;
      const info = { ...r, reason: why };
      opts.log?.info({ backend: info.name, device: info.device, reason: info.reason }, 'tensorflow.js backend selected');
      return info;
    }
    skipped.push(`${name}: ${r}`);
  }
  if (choice === 'native') throw new SchedError('BACKEND', `the native backend cannot be used: ${skipped[0].replace(/^native: /, '')}`);
  throw new SchedError('BACKEND', `no usable TensorFlow.js backend for "${choice}": ${skipped.join('; ')}`);
}

/** The native engine's thread count when none is given: one per core not busy (1-min load average), at least 1. */
export function defaultThreads(cores = availableParallelism(), load = loadavg()[0]): { threads: number; why: string } {
  const threads = Math.max(1, cores - Math.round(load));
  return { threads, why: `one per free core: ${cores} cores, load average ${load.toFixed(2)}` };
}

async function tryNativeEngine(opts: SelectOptions): Promise<BackendInfo | string> {
  const addon = (opts.nativeAddon ?? loadNativeAddon)();
  if (typeof addon === 'string') return addon;
  const { threads, why } = opts.threads !== undefined ? { threads: opts.threads, why: '--threads' } : defaultThreads();
  addon.setThreads(threads);
  // tfjs still saves and loads the checkpoints' layers models: its pure JS backend does that
  if (!(await activateCpu())) return 'the native engine loaded but tfjs\' cpu backend (for checkpoints) did not initialize';
  const info = addon.info();
  return { name: 'native', device: `CPU (OpenBLAS ${info.corename}, ${info.threads} thread${info.threads === 1 ? '' : 's'}: ${why})`, reason: '' };
}

async function activateCpu(): Promise<boolean> {
  if (!(await activate('cpu'))) return false;
  // silence tfjs' one-time "install tfjs-node" banner: the selection reason already says it
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return true;
}

async function tryNative(pkg: string, gpu: boolean, loader: ModuleLoader): Promise<BackendInfo | string> {
  try {
    await loader(pkg);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return `${pkg} is not installed`;
    return `${pkg} failed to load (${firstLine(err)})`;
  }
  if (!tf.findBackendFactory('tensorflow')) {
    return `${pkg} loaded but registered its backend in another copy of @tensorflow/tfjs-core (install ${pkg}@${tf.version_core} to match)`;
  }
  if (!(await activate('tensorflow'))) return `${pkg} loaded but its backend did not initialize`;
  // tfjs-node's backend reports whether libtensorflow found a CUDA device
  const be = tf.backend() as { isUsingGpuDevice?: boolean };
  if (gpu && be.isUsingGpuDevice === false) {
    return { name: 'tensorflow', device: `CPU (libtensorflow from ${pkg}: no CUDA device found)`, reason: '' };
  }
  return { name: 'tensorflow', device: gpu ? 'CUDA GPU (libtensorflow)' : 'CPU (libtensorflow)', reason: '' };
}

async function tryWasm(loader: ModuleLoader, wasmDir?: () => string): Promise<BackendInfo | string> {
  try {
    const mod = (await loader(WASM_PACKAGE)) as { setWasmPaths?: (p: string) => void };
    if (!tf.findBackendFactory('wasm')) return `${WASM_PACKAGE} loaded but did not register a backend in this copy of @tensorflow/tfjs-core`;
    const dir = (wasmDir ?? defaultWasmDir)();
    // in Node the binaries are read from the file system: give the folder as a path
    mod.setWasmPaths?.(dir.endsWith('/') ? dir : dir + '/');
  } catch (err) {
    return `${WASM_PACKAGE} failed to load (${firstLine(err)})`;
  }
  if (!(await activate('wasm'))) return `${WASM_PACKAGE} loaded but its backend did not initialize`;
  return { name: 'wasm', device: 'CPU (WebAssembly SIMD, 1 thread)', reason: '' };
}

function defaultWasmDir(): string {
  const req = createRequire(import.meta.url);
  return dirname(req.resolve(`${WASM_PACKAGE}/dist/tfjs-backend-wasm-simd.wasm`));
}

async function activate(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
