#!/usr/bin/env node
// Builds the native engine (native/: a Node-API addon on OpenBLAS) with node-gyp, against the
// Node headers already on the machine. Run by `npm ci` / `npm install` (the package's install
// script) and by `npm run build:native`. An optional step: when OpenBLAS or a compiler is
// missing, or the build fails, it says so and exits 0 (sched then runs on WebAssembly), unless
// --strict is given (exit 1).
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native');
const strict = process.argv.includes('--strict');
const hint = 'install libopenblas-dev (and g++, make), then run npm run build:native; until then --backend auto uses WebAssembly';

function skip(why) {
  console.error(`sched: the native engine was not built: ${why}; ${hint}`);
  process.exit(strict ? 1 : 0);
}

if (spawnSync('pkg-config', ['--exists', 'openblas']).status !== 0) skip('OpenBLAS not found (pkg-config openblas)');

// node-gyp: the copy npm passes to install scripts, else one on the PATH
const gyp = process.env.npm_config_node_gyp;
const [cmd, pre] = gyp && existsSync(gyp) ? [process.execPath, [gyp]] : ['node-gyp', []];
const args = [...pre, 'rebuild'];
// the headers of the running Node (e.g. /usr/include/node from Debian's nodejs): no download
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const res = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
if (res.status !== 0) {
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n');
  console.error(out.slice(-15).join('\n'));
  rmSync(join(dir, 'build'), { recursive: true, force: true }); // never leave a half-built addon
  skip(res.error ? `${cmd} could not run (${res.error.message})` : `node-gyp failed (exit ${res.status})`);
}
console.error('sched: built the native engine (native/build/Release/sched_native.node)');
