import { SchedError } from '../../errors.js';
import { jobShopSnapshot } from './jobshop.js';
import type { SnapshotFile } from './schema.js';

/**
 * Taillard's job-shop benchmark instances (E. Taillard, "Benchmarks for basic scheduling
 * problems", EJOR 64(2):278-285, 1993), regenerated from his published seeds with his own
 * generator, so no instance file is needed: processing times first (n x m draws in 1..99 from
 * the time seed), then each job's machine order (start from 1..m, swap position j with a
 * uniform position in j..m-1, from the machine seed).
 */

/** Taillard's LCG (Park & Miller's minimal standard, Schrage's factorisation): a uniform integer in [low, high]. */
export class TaillardRandom {
  constructor(private seed: number) {}

  unif(low: number, high: number): number {
    const a = 16807;
    const b = 127773;
    const c = 2836;
    const m = 2147483647;
    const k = Math.floor(this.seed / b);
    this.seed = a * (this.seed % b) - k * c;
    if (this.seed < 0) this.seed += m;
    return low + Math.floor((this.seed / m) * (high - low + 1));
  }
}

/** Processing times `times[i][k]` and machine orders `machines[i][k]` (1-based, as Taillard prints them). */
export function taillardJobShop(jobs: number, machines: number, timeSeed: number, machineSeed: number): { times: number[][]; machines: number[][] } {
  const tr = new TaillardRandom(timeSeed);
  const times = Array.from({ length: jobs }, () => Array.from({ length: machines }, () => tr.unif(1, 99)));
  const mr = new TaillardRandom(machineSeed);
  const order = Array.from({ length: jobs }, () => Array.from({ length: machines }, (_, k) => k + 1));
  for (const row of order) {
    for (let k = 0; k < machines; k++) {
      const r = mr.unif(k, machines - 1);
      [row[k], row[r]] = [row[r], row[k]];
    }
  }
  return { times, machines: order };
}

export interface TaillardInstance {
  name: string;
  jobs: number;
  machines: number;
  timeSeed: number;
  machineSeed: number;
  /** Best-known makespan; for ta01-ta10 it is the proven optimum. */
  bestKnown: number;
}

/**
 * ta01-ta10 (15 x 15): Taillard's seeds (1993, Table "Job shop"), and their optimal makespans
 * (all ten proven optimal; e.g. the bounds listed by Taillard's page and OR-Library's jobshop
 * file, and the reference values of Zhang et al.'s L2D test script).
 */
export const TAILLARD_INSTANCES: readonly TaillardInstance[] = [
  ['ta01', 840612802, 398197754, 1231],
  ['ta02', 1314640371, 386720536, 1244],
  ['ta03', 1227221349, 316176388, 1218],
  ['ta04', 342269428, 1806358582, 1175],
  ['ta05', 1603221416, 1501949241, 1224],
  ['ta06', 1357584978, 1734077082, 1238],
  ['ta07', 44531661, 1374316395, 1227],
  ['ta08', 302545136, 2092186050, 1217],
  ['ta09', 1153780144, 1393392374, 1274],
  ['ta10', 73896786, 1544979948, 1241],
].map(([name, timeSeed, machineSeed, bestKnown]) => ({ name: name as string, jobs: 15, machines: 15, timeSeed: timeSeed as number, machineSeed: machineSeed as number, bestKnown: bestKnown as number }));

export const TAILLARD_NAMES: readonly string[] = TAILLARD_INSTANCES.map((t) => t.name);

/**
 * Instance names from a list such as `ta01..ta10`, `ta01,ta05` or `all`; an unknown name is
 * a usage error listing the valid ones.
 */
export function taillardSelection(spec: string): TaillardInstance[] {
  const byName = (n: string): TaillardInstance => {
    const t = TAILLARD_INSTANCES.find((x) => x.name === n.trim().toLowerCase());
    if (!t) throw new SchedError('USAGE', `unknown Taillard instance "${n.trim()}"; available: ${TAILLARD_NAMES.join(', ')} (e.g. ta01..ta10)`);
    return t;
  };
  if (spec.trim().toLowerCase() === 'all') return [...TAILLARD_INSTANCES];
  const out: TaillardInstance[] = [];
  for (const part of spec.split(',')) {
    const range = part.split('..');
    if (range.length === 2) {
      const [a, b] = range.map(byName);
      const i0 = TAILLARD_INSTANCES.indexOf(a);
      const i1 = TAILLARD_INSTANCES.indexOf(b);
      if (i1 < i0) throw new SchedError('USAGE', `Taillard range "${part.trim()}" runs backwards; write ${b.name}..${a.name}`);
      out.push(...TAILLARD_INSTANCES.slice(i0, i1 + 1));
    } else if (range.length === 1 && part.trim() !== '') out.push(byName(part));
    else throw new SchedError('USAGE', `bad Taillard instance list "${spec}": expected names or ranges such as ta01..ta10,ta12`);
  }
  return out.filter((t, i) => out.indexOf(t) === i);
}

/** Meta key of the best-known makespan; `sched test` / `sched bench jssp` report the gap to it. */
export const BEST_KNOWN_KEY = 'bestKnownMakespan';

/** The instance as a makespan snapshot (machines M0..M14, as `snapshots import` names them). */
export function taillardSnapshot(t: TaillardInstance): SnapshotFile {
  const { times, machines } = taillardJobShop(t.jobs, t.machines, t.timeSeed, t.machineSeed);
  return jobShopSnapshot(
    t.name,
    times,
    machines.map((row) => row.map((k) => k - 1)),
    { source: 'Taillard 1993', timeSeed: t.timeSeed, machineSeed: t.machineSeed, [BEST_KNOWN_KEY]: t.bestKnown },
  );
}

/** The instance in Taillard's original text layout (what `sched snapshots import --format taillard` reads). */
export function taillardText(t: TaillardInstance): string {
  const { times, machines } = taillardJobShop(t.jobs, t.machines, t.timeSeed, t.machineSeed);
  const row = (r: number[]) => r.map((x) => String(x).padStart(3)).join(' ');
  return [
    'Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound',
    `${t.jobs} ${t.machines} ${t.timeSeed} ${t.machineSeed} ${t.bestKnown} ${t.bestKnown}`,
    'Times',
    ...times.map(row),
    'Machines',
    ...machines.map(row),
    '',
  ].join('\n');
}
