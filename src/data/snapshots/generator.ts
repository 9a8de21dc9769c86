import { Rng } from '../../util/rng.js';
import { generateJobShop } from './jobshop.js';
import type { GeneratorProfile, Profile } from './profiles.js';
import type { SnapshotFile } from './schema.js';

/**
 * The seeded snapshot generator. `generateSnapshot(profile, seed)` draws one factory instance:
 * machines grouped into types, jobs routed over the types (overloaded "bottleneck" types get
 * more of the work), each task eligible on 1..k machines of its type or needing several at
 * once, due dates from the job's release, its own work and a share of the horizon. Only `Rng`
 * draws are used, in a fixed order, so the same profile and seed give the same bytes.
 */

export const GENERATOR_ID = 'sched-generator';
export const GENERATOR_VERSION = 1;

/** Hour 0 of every generated snapshot: a Monday at 00:00 UTC, so day d is hours [24d, 24d+24). */
export const GENERATED_START = '2026-03-02T00:00:00Z';

const TYPE_NAMES = [
  'lathe', 'mill', 'drill', 'grinder', 'saw', 'press', 'bender', 'laser', 'plasma', 'weld',
  'robot_weld', 'deburr', 'wash', 'paint', 'powder_coat', 'oven', 'heat_treat', 'anodize', 'assembly', 'test_bench',
  'inspection', 'cmm', 'edm', 'wire_edm', 'hone', 'broach', 'gear_hob', 'shaper', 'polisher', 'sandblast',
  'punch', 'shear', 'injection', 'extruder', 'crane', 'packing', 'labeler', 'cnc5', 'router', 'forge',
];

/** Short pauses (hour of day), used in this order when they fall inside working hours. */
const PAUSE_SLOTS: readonly (readonly [number, number])[] = [
  [12, 12.5], [9.5, 10], [18, 18.5], [15, 15.25], [2, 2.5], [20.5, 21], [6.5, 6.75], [23, 23.25],
];

type FileMachine = SnapshotFile['machines'][number];
type FileJob = SnapshotFile['jobs'][number];
type FileTask = FileJob['tasks'][number];
type FileCalendar = NonNullable<SnapshotFile['calendars']>[string];

export function typeName(i: number): string {
  return i < TYPE_NAMES.length ? TYPE_NAMES[i] : `${TYPE_NAMES[i % TYPE_NAMES.length]}_${Math.floor(i / TYPE_NAMES.length) + 1}`;
}

const quarter = (x: number) => Math.round(x * 4) / 4;
const half = (x: number) => Math.round(x * 2) / 2;

/** Exactly round(share * n) flags set, in random positions. */
function flags(rng: Rng, n: number, share: number): boolean[] {
  const k = Math.round(share * n);
  const out = Array.from({ length: n }, (_, i) => i < k);
  return rng.shuffle(out);
}

/** `k` distinct elements of `pool` (a copy is shuffled partially), in ascending order. */
function sample(rng: Rng, pool: readonly number[], k: number): number[] {
  const a = pool.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, k).sort((x, y) => x - y);
}

function pickWeighted(rng: Rng, cumulative: Float64Array, ids: readonly number[]): number {
  const r = rng.float() * cumulative[cumulative.length - 1];
  let i = 0;
  while (i < cumulative.length - 1 && cumulative[i] <= r) i++;
  return ids[i];
}

function cumulativeOf(weights: readonly number[], ids: readonly number[]): Float64Array {
  const c = new Float64Array(ids.length);
  let s = 0;
  ids.forEach((t, i) => {
    s += weights[t];
    c[i] = s;
  });
  return c;
}

/** The profile's calendars and the weekly working share of the default one. */
function buildCalendars(p: GeneratorProfile, rng: Rng): { calendars: Record<string, FileCalendar>; share: number } {
  const cal = p.calendar;
  if (!cal) return { calendars: {}, share: 1 };
  const off: [number, number][] = cal.shifts === 1 ? [[0, 6], [14, 24]] : cal.shifts === 2 ? [[0, 6], [22, 24]] : [];
  const working = (a: number, b: number) => off.every(([s, e]) => b <= s || a >= e);
  const pauses = PAUSE_SLOTS.filter(([a, b]) => working(a, b)).slice(0, cal.pauses);
  const daily = [...off, ...pauses].sort((x, y) => x[0] - y[0]);
  const breaks: FileCalendar['breaks'] = [];
  let weeklyWork = 0;
  for (let weekday = 1; weekday <= 7; weekday++) {
    if (cal.weekendOff && weekday >= 6) {
      breaks!.push({ weekday, start: 0, end: 24 });
      continue;
    }
    let work = 24;
    for (const [start, end] of daily) {
      breaks!.push({ weekday, start, end });
      work -= end - start;
    }
    weeklyWork += work;
  }
  // holidays: whole distinct working days within the horizon, never day 0
  const days = Math.floor(p.horizon / 24);
  const candidates: number[] = [];
  for (let d = 1; d < days; d++) if (!(cal.weekendOff && d % 7 >= 5)) candidates.push(d);
  const chosen = sample(rng, candidates, Math.min(cal.holidays, candidates.length));
  const holidays = chosen.map((d, i) => ({ start: d * 24, end: d * 24 + 24, name: `holiday ${i + 1}` }));
  const calendars: Record<string, FileCalendar> = { default: { breaks, holidays } };
  if (cal.continuousShare > 0) calendars.continuous = { breaks: [], holidays: holidays.map((h) => ({ ...h })) };
  return { calendars, share: weeklyWork / 168 };
}

/** One instance of `profile` (a job-shop profile goes to jobshop.ts); `name` defaults to the profile's name. */
export function generateSnapshot(profile: Profile, seed: number, name = profile.name): SnapshotFile {
  if ('kind' in profile) return generateJobShop(profile, seed, name);
  const p: GeneratorProfile = profile;
  const rng = new Rng(seed);
  const nTypes = Math.max(1, Math.min(p.machineTypes, p.machines));

  // machine types: one machine each, the rest spread with random weights
  const typeCount = new Array<number>(nTypes).fill(1);
  const spread = Array.from({ length: nTypes }, () => rng.uniform(0.5, 1.5));
  const spreadCum = cumulativeOf(spread, [...Array(nTypes).keys()]);
  for (let m = nTypes; m < p.machines; m++) typeCount[pickWeighted(rng, spreadCum, [...Array(nTypes).keys()])] += 1;

  const bottlenecks = new Set(sample(rng, [...Array(nTypes).keys()], Math.min(p.bottleneck.types, nTypes)));
  const { calendars, share } = buildCalendars(p, rng);
  const continuous = new Set<number>();
  if (p.calendar && p.calendar.continuousShare > 0) {
    // round-the-clock types are drawn among the ordinary ones: bottlenecks stay overloaded
    const want = Math.ceil(p.calendar.continuousShare * nTypes);
    const ordinary = [...Array(nTypes).keys()].filter((t) => !bottlenecks.has(t));
    for (const t of sample(rng, ordinary, Math.min(want, ordinary.length))) continuous.add(t);
  }

  const machines: FileMachine[] = [];
  const typeMachines: number[][] = [];
  for (let t = 0; t < nTypes; t++) {
    const list: number[] = [];
    for (let k = 0; k < typeCount[t]; k++) {
      list.push(machines.length);
      const m: FileMachine = { id: `M${machines.length + 1}`, name: `${typeName(t)} ${k + 1}`, type: typeName(t) };
      if (continuous.has(t)) m.calendar = 'continuous';
      machines.push(m);
    }
    typeMachines.push(list);
  }

  // routing: a type's share of the work follows its size, times the bottleneck weight
  const weights = typeCount.map((c, t) => c * (bottlenecks.has(t) ? p.bottleneck.weight : 1) * rng.uniform(0.8, 1.2));
  const allTypes = [...Array(nTypes).keys()];
  const allCum = cumulativeOf(weights, allTypes);
  const multiTypes = allTypes.filter((t) => typeCount[t] >= 2);
  const multiCum = cumulativeOf(weights, multiTypes);

  const urgent = flags(rng, p.jobs, p.urgentShare);
  const important = flags(rng, p.jobs, p.importantShare);
  const jobs: FileJob[] = [];
  for (let j = 0; j < p.jobs; j++) {
    const jobId = `J${j + 1}`;
    const nTasks = rng.intBetween(p.tasksPerJob[0], p.tasksPerJob[1]);
    const tasks: FileTask[] = [];
    let work = 0;
    for (let k = 0; k < nTasks; k++) {
      const raw = p.duration.median * Math.exp(p.duration.sigma * rng.normal());
      const duration = Math.max(0.25, quarter(Math.min(p.duration.max, Math.max(p.duration.min, raw))));
      const task: FileTask = { id: `${jobId}.${k + 1}`, seq: k + 1, duration };
      if (multiTypes.length > 0 && p.multiMachine.share > 0 && rng.chance(p.multiMachine.share)) {
        const t = pickWeighted(rng, multiCum, multiTypes);
        const size = Math.min(typeCount[t], rng.intBetween(p.multiMachine.size[0], p.multiMachine.size[1]));
        task.requiresAll = sample(rng, typeMachines[t], size).map((m) => machines[m].id);
      } else {
        const t = pickWeighted(rng, allCum, allTypes);
        const k2 = Math.min(typeCount[t], rng.intBetween(p.eligible[0], p.eligible[1]));
        task.machines = sample(rng, typeMachines[t], k2).map((m) => machines[m].id);
      }
      if (p.setup.share > 0 && rng.chance(p.setup.share)) {
        task.setup = Math.max(0.25, quarter(rng.uniform(p.setup.min, p.setup.max)));
        work += task.setup;
      }
      work += duration;
      tasks.push(task);
    }
    const release = p.releaseSpread > 0 ? Math.round(rng.uniform(0, p.releaseSpread)) : 0;
    const d = p.due;
    const [f0, f1] = urgent[j] ? d.urgentFactor : d.normalFactor;
    const [q0, q1] = urgent[j] ? d.urgentQueue : d.normalQueue;
    const due = half(release + (work * rng.uniform(f0, f1)) / share + rng.uniform(q0, q1) * p.horizon);
    jobs.push({ id: jobId, due, release, important: important[j], tasks });
  }

  return {
    version: 1,
    name,
    start: GENERATED_START,
    objective: 'due_dates',
    machines,
    calendars,
    jobs,
    meta: {
      generator: GENERATOR_ID,
      generatorVersion: GENERATOR_VERSION,
      profile: p.name,
      seed,
      horizon: p.horizon,
      /** Jobs drawn with tight due dates (stats reports their share). */
      urgent: jobs.filter((_, j) => urgent[j]).map((job) => job.id),
    },
  };
}
