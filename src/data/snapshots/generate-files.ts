import { join } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';
import { edgeCases } from './edge-cases.js';
import { generateSnapshot } from './generator.js';
import { parseSnapshot } from './load.js';
import { NAMED_PROFILES, type Profile } from './profiles.js';
import { validateFolder, validationReport } from './report.js';
import type { SnapshotFile } from './schema.js';
import { serializeSnapshot } from './serialize.js';

/** Writing generated snapshots to disk (`sched snapshots generate`). */

export const DEFAULT_SEED = 1;

/** Each named file gets its own stream: the user's seed mixed with the file's name (FNV-1a). */
export function seedFor(name: string, seed: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (h ^ (seed >>> 0)) >>> 0;
}

/** Validates (never writes a file the loader would refuse) and writes atomically. */
export function writeSnapshot(path: string, file: SnapshotFile): void {
  parseSnapshot(JSON.parse(JSON.stringify(file)), path);
  writeFileAtomic(path, serializeSnapshot(file));
}

export function generateProfileFile(profile: Profile, seed: number, out: string): void {
  writeSnapshot(out, generateSnapshot(profile, seed));
}

/**
 * The five named snapshots and every edge case into `dir`, then `validation_report.md` over
 * every `*.json` in `dir`. Returns the written file names and the count of invalid files.
 */
export function generateFolder(dir: string, seed: number): { written: string[]; invalid: number } {
  const written: string[] = [];
  for (const p of NAMED_PROFILES) {
    writeSnapshot(join(dir, `${p.name}.json`), generateSnapshot(p, seedFor(p.name, seed)));
    written.push(`${p.name}.json`);
  }
  for (const f of edgeCases(seedFor('edge_case', seed))) {
    writeSnapshot(join(dir, `${f.name}.json`), f);
    written.push(`${f.name}.json`);
  }
  const entries = validateFolder(dir);
  const header =
    `Written by \`sched snapshots generate --seed ${seed}\` (generator in \`src/data/snapshots/\`; each file's \`meta\` ` +
    'holds its profile and seed). Every `*.json` in this folder was validated against the snapshot format ' +
    '([docs/snapshots.md](../docs/snapshots.md)); the statistics are those of `sched snapshots stats` ' +
    '(loads are work / working capacity over the horizon).';
  writeFileAtomic(join(dir, 'validation_report.md'), validationReport(entries, header));
  written.push('validation_report.md');
  return { written, invalid: entries.filter((e) => e.error).length };
}
