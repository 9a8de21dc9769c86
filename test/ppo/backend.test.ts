import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { defaultThreads, selectBackend, GPU_PACKAGE, NODE_PACKAGE, WASM_PACKAGE, type ModuleLoader } from '../../src/ppo/backend.js';
import { SchedError } from '../../src/errors.js';
import { loadNativeAddon } from '../../src/ppo/engine/native-engine.js';

/** The native addon as a machine without it sees it. */
const notBuilt = () => 'the native engine is not built (no native/build/Release/sched_native.node): install OpenBLAS';

const notInstalled = (pkg: string) => Object.assign(new Error(`Cannot find package '${pkg}'`), { code: 'ERR_MODULE_NOT_FOUND' });

/** A loader where each package either is missing, fails, or "loads" (optionally registering a fake native backend). */
function fakeLoader(behaviour: Record<string, 'missing' | 'fails' | 'gpu' | 'cpu-native' | 'wrong-core' | 'real'>): ModuleLoader {
  return async (pkg) => {
    const b = behaviour[pkg] ?? 'missing';
    if (b === 'missing') throw notInstalled(pkg);
    if (b === 'fails') throw new Error('libcudart.so.11.0: cannot open shared object file\nmore');
    if (b === 'real') return import(pkg);
    if (b === 'wrong-core') return {};
    tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: b === 'gpu' }));
    return {};
  };
}

afterEach(() => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
});

test('auto picks the CUDA package when it is installed and loads', async () => {
  const info = await selectBackend('auto', { loader: fakeLoader({ [GPU_PACKAGE]: 'gpu' }) });
  assert.equal(info.name, 'tensorflow');
  assert.match(info.device, /CUDA/);
  assert.equal(tf.getBackend(), 'tensorflow');
});

test('auto falls back to tfjs-node when the GPU package fails to load, and says why', async () => {
  const info = await selectBackend('auto', { loader: fakeLoader({ [GPU_PACKAGE]: 'fails', [NODE_PACKAGE]: 'cpu-native' }) });
  assert.equal(info.name, 'tensorflow');
  assert.match(info.device, /CPU \(libtensorflow\)/);
  assert.match(info.reason, /tfjs-node-gpu failed to load \(libcudart/);
});

test('a GPU package that finds no CUDA device is used on the CPU, and says so', async () => {
  const info = await selectBackend('auto', { loader: fakeLoader({ [GPU_PACKAGE]: 'cpu-native' }) });
  assert.equal(info.name, 'tensorflow');
  assert.match(info.device, /no CUDA device found/);
});

test('a native package that registered into another copy of tfjs-core is reported, not used', async () => {
  const info = await selectBackend('auto', { loader: fakeLoader({ [GPU_PACKAGE]: 'wrong-core', [WASM_PACKAGE]: 'real' }), nativeAddon: notBuilt });
  assert.equal(info.name, 'wasm');
  assert.match(info.reason, /another copy of @tensorflow\/tfjs-core \(install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
});

test('auto falls back to the pure JS backend when wasm cannot load', async () => {
  const info = await selectBackend('auto', { loader: fakeLoader({ [WASM_PACKAGE]: 'fails' }), nativeAddon: notBuilt });
  assert.equal(info.name, 'cpu');
  assert.match(info.reason, /tfjs-node-gpu is not installed; tensorflow: @tensorflow\/tfjs-node is not installed; native: the native engine is not built .*; wasm: .*failed to load/);
});

test('an explicitly requested backend that cannot load is a BACKEND error; an unknown name is USAGE', async () => {
  await assert.rejects(selectBackend('tensorflow', { loader: fakeLoader({}) }), (e: unknown) => e instanceof SchedError && e.code === 'BACKEND' && /tfjs-node is not installed/.test(e.message));
  await assert.rejects(selectBackend('tpu' as never), (e: unknown) => e instanceof SchedError && e.code === 'USAGE');
});

test('without the native addon, auto says why in its one line and falls back to WebAssembly; an explicit native is a BACKEND error saying what to install', async () => {
  const info = await selectBackend('auto', { nativeAddon: notBuilt });
  assert.equal(info.name, 'wasm');
  assert.match(info.reason, /; native: the native engine is not built \(.*\): install OpenBLAS; using wasm$/);
  await assert.rejects(selectBackend('native', { nativeAddon: notBuilt }), (e: unknown) => e instanceof SchedError && e.code === 'BACKEND' && /^the native backend cannot be used: the native engine is not built .*install OpenBLAS/.test(e.message));
});

const addon = loadNativeAddon();
const nativeSkip = typeof addon === 'string' ? addon : false;

test('with the native addon built, auto selects it, with the threads asked for (tfjs keeps its pure JS backend for checkpoints)', { skip: nativeSkip }, async () => {
  const info = await selectBackend('auto', { threads: 1 });
  assert.equal(info.name, 'native');
  assert.match(info.device, /^CPU \(OpenBLAS \w+, 1 thread: --threads\)$/);
  assert.match(info.reason, /tensorflow: @tensorflow\/tfjs-node is not installed; using native$/);
  assert.equal(tf.getBackend(), 'cpu');
  const two = await selectBackend('native', { threads: 2 });
  assert.match(two.device, /2 threads/);
  assert.equal(two.reason, 'requested native');
});

test('the default thread count is one per free core, at least one', async () => {
  assert.deepEqual(defaultThreads(16, 0.2), { threads: 16, why: 'one per free core: 16 cores, load average 0.20' });
  assert.equal(defaultThreads(2, 0.9).threads, 1);
  assert.equal(defaultThreads(2, 5).threads, 1);
});

test('on this machine (no tfjs-node packages installed) auto selects the native engine when built, else WebAssembly', async () => {
  const logged: unknown[] = [];
  const log = { info: (o: unknown) => logged.push(o) } as never;
  const info = await selectBackend('auto', { log });
  assert.equal(info.name, nativeSkip ? 'wasm' : 'native');
  await selectBackend('wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0]), 5);
  assert.equal(logged.length, 1, 'the choice is logged');
});
