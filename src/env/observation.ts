import type { Simulator } from './simulator.js';
import { selectSlots } from './slots.js';
import { TIME_EPS } from './calendar.js';
import { atcScale, NUM_PRIORITY_RULES, priorityKey, RULE_ATC } from './priorities.js';

/**
 * The fixed-size observation: GLOBAL_FEATURES, then K slots of SLOT_FEATURES each. The
 * same layout for every instance size (docs/environment.md has the table with scalings).
 * Times are scaled by the instance's `timeScale` (T) or `meanTaskWork` (W); days are 24 h.
 */
export const GLOBAL_FEATURES = [
  'progress', // tasks placed / tasks in the episode
  'jobs_done', // jobs complete / jobs in the episode
  'size_jobs', // ln(1 + jobs) / ln(1001)
  'hidden_share', // share of unfinished jobs not shown in the K slots
  'makespan_so_far', // latest end placed / T (clip 10)
  'frontier', // earliest start among the visible candidates / T (clip 10)
  'machine_free_mean', // mean over machines of the time each becomes free / T (clip 10)
  'machine_free_std', // their standard deviation / T (clip 10)
  'utilization', // machine-hours placed / (machines * makespan so far)
  'idle_share', // share of machines free at the frontier
  'late_share', // jobs completed late / jobs in the episode
  'mean_days_late', // mean days late of completed jobs with due times / 10 (clip 10)
  'bottleneck_load', // max over machine types of remaining work / machines of the type / T (clip 10)
  'remaining_load', // remaining work / machines / T (clip 10)
  'objective_makespan', // 1 for makespan-objective snapshots
  'size_machines', // ln(1 + machines) / ln(201)
] as const;

export const SLOT_FEATURES = [
  'filled', // 1 for a candidate, 0 for an empty slot (all features 0)
  'work', // setup + processing on the chosen machine / W (clip 10)
  'setup_share', // setup / (setup + processing)
  'slack_days', // (due - end - work left after this task) / 24, clip [-30, 30], / 10
  'due_in_days', // (due - frontier) / 24, clip [-30, 30], / 10
  'important', // 1 if the job is important
  'job_remaining_work', // the job's remaining work including this task / T (clip 10)
  'job_remaining_tasks', // the job's remaining tasks including this one / its task count
  'flexibility', // 1 / eligible machines (1 for a multi-machine task)
  'start_delay', // (start on the chosen machine - frontier) / W (clip 10)
  'machine_idle_gap', // idle time the choice leaves on its machine(s) before the start / W (clip 10)
  'multi_machine', // 1 for a task that needs several machines at once
  'stretch_share', // share of the task's occupied span that is a break or holiday
  'in_conflict_set', // 1 if it can start before the earliest completion of any candidate
  // the dispatching rules' view (priorities.ts), over the visible conflict-set candidates:
  'atc_score', // exp(-(ATC key - lowest ATC key)): ATC priority / the highest one, in (0, 1]
  'rank_atc', // rank under ATC / (visible conflict-set candidates - 1): 0 = ATC's pick; 1 outside the set
  'rank_edd', // the same under EDD (earliest due date)
  'rank_cr', // critical ratio
  'rank_spt', // shortest processing time
  'rank_mwkr', // most work remaining
  'rank_fifo', // first in, first out
  'rank_greedy', // earliest completion
] as const;

export const G = 16;
export const F = 22;
/** The per-candidate rows the simulator keeps up to date (features 0-13; the rest are per observation). */
export const ROW_F = 14;
/** Features 14 .. 21: the rules' priorities (atc_score, then one rank per rule of PRIORITY_RULES). */
const PRIO_OFFSET = 14;
if (GLOBAL_FEATURES.length !== G || SLOT_FEATURES.length !== F || F !== PRIO_OFFSET + 1 + NUM_PRIORITY_RULES) {
  throw new Error('observation layout constants out of date');
}

/**
 * The observation layout's name, saved with every model: a model trained on another layout is
 * refused at load instead of misread. v1: 14 features per slot; v2: + the rules' priorities.
 */
export const OBS_LAYOUT = 'sched-obs-v2';

const LAYOUTS: Record<string, string> = {
  'sched-obs-v1': 'observation layout v1 (14 features per slot)',
  [OBS_LAYOUT]: `observation layout v2 (${F} features per slot: v1 plus the dispatching rules' priorities)`,
};

/** What a saved layout name means, for messages; a model saved without one has layout v1. */
export function describeObsLayout(name: string | undefined): string {
  return LAYOUTS[name ?? 'sched-obs-v1'] ?? `an unknown observation layout "${name}"`;
}

export function obsDimFor(slots: number): number {
  return G + slots * F;
}

export const LN_JOBS = Math.log(1001);
export const LN_MACHINES = Math.log(201);

function clip(x: number, hi: number): number {
  return x > hi ? hi : x < -hi ? -hi : x;
}

/**
 * Writes the candidate-only features of job j's candidate into its row of `sim.candFeat`
 * (the slot layout; the frontier-dependent features 4, 9 and 13 are filled per observation).
 * Called by the simulator whenever the candidate changes, so observations copy rows.
 */
export function writeCandidateRow(sim: Simulator, e: number, j: number): void {
  const rows = sim.candFeat!;
  const inst = sim.instances[sim.instOf[e]];
  const ej = e * sim.J + j;
  const eT = e * sim.T;
  const o = ej * 14; // ROW_F
  const t = sim.jobNext[ej];
  const w = sim.candWork[ej];
  const s = sim.candStart[ej];
  const en = sim.candEnd[ej];
  const rem = sim.jobRemWork[ej];
  const jobTaskStart = inst.jobTaskStart;
  const t1 = jobTaskStart[j + 1];
  const multi = inst.taskMulti[t] === 1;
  rows[o] = 1;
  rows[o + 1] = clip(w / inst.meanTaskWork, 10);
  rows[o + 2] = (inst.taskSetup[t] * sim.taskScale[eT + t]) / w;
  rows[o + 3] = inst.jobHasDue[j] === 1 ? clip((sim.jobDue[ej] - en - (rem - sim.taskWork[eT + t])) / 24, 30) / 10 : 0;
  rows[o + 5] = inst.jobImportant[j];
  rows[o + 6] = clip(rem / inst.timeScale, 10);
  rows[o + 7] = (t1 - t) / (t1 - jobTaskStart[j]);
  rows[o + 8] = multi ? 1 : 1 / (inst.taskEligStart[t + 1] - inst.taskEligStart[t]);
  const f = sim.candIdleFrom[ej]; // where the idle time before the start begins (state.ts)
  rows[o + 10] = s > f ? clip((s - f) / inst.meanTaskWork, 10) : 0;
  rows[o + 11] = multi ? 1 : 0;
  const span = en - s;
  rows[o + 12] = span > w ? (span - w) / span : 0;
}

/**
 * Selects env e's slots (slots.ts) and writes its observation at `out[off .. off + obsDim)`;
 * slot i shows the candidate at position `sim.slotPos[e*K + i]`. Slots `fill .. stale-1` are
 * cleared; pass `stale = K` for a buffer whose contents are unknown. Returns the number of
 * filled slots (the mask is `slot < fill`).
 */
export function writeObservation(sim: Simulator, e: number, out: Float32Array, off: number, stale: number): number {
  const { K, J, M } = sim;
  const eJ = e * J;
  const eM = e * M;
  const inst = sim.instances[sim.instOf[e]];
  const order = sim.order;
  const candStart = sim.candStart;
  const len = sim.orderLen[e];
  const fill = selectSlots(sim, e);
  const slotPos = sim.slotPos;
  const eK = e * K;
  const bound = sim.conflictEnd[e] - TIME_EPS;
  const makespan = sim.makespan[e];
  const rows = sim.candFeat!;
  const jobDue = sim.jobDue;
  const jobHasDue = inst.jobHasDue;
  const free = sim.machineFree;

  let frontier = Infinity;
  for (let i = 0; i < fill; i++) {
    const s = candStart[eJ + order[eJ + slotPos[eK + i]]];
    if (s < frontier) frontier = s;
  }
  if (fill === 0) frontier = makespan;

  const invW = 1 / inst.meanTaskWork;
  const invT = 1 / inst.timeScale;
  const nF = F; // a local: module bindings cost a context load and TDZ check per use
  let o = off + G;
  let inSet = 0; // visible conflict-set candidates (they come first)
  for (let i = 0; i < fill; i++, o += nF) {
    const j = order[eJ + slotPos[eK + i]];
    const ej = eJ + j;
    const r = ej * 14; // ROW_F
    // unrolled copy of the row (F = 14); features 4, 9 and 13 are written just below
    out[o] = rows[r];
    out[o + 1] = rows[r + 1];
    out[o + 2] = rows[r + 2];
    out[o + 3] = rows[r + 3];
    out[o + 5] = rows[r + 5];
    out[o + 6] = rows[r + 6];
    out[o + 7] = rows[r + 7];
    out[o + 8] = rows[r + 8];
    out[o + 10] = rows[r + 10];
    out[o + 11] = rows[r + 11];
    out[o + 12] = rows[r + 12];
    const s = candStart[ej];
    out[o + 4] = jobHasDue[j] === 1 ? clip((jobDue[ej] - frontier) / 24, 30) / 10 : 0;
    out[o + 9] = clip((s - frontier) * invW, 10);
    out[o + 13] = s < bound ? 1 : 0;
    if (s < bound) inSet++;
  }
  writePriorities(sim, e, out, off + G, fill, inSet);
  if (stale > fill) out.fill(0, off + G + fill * nF, off + G + stale * nF);

  const nm = inst.numMachines;
  const jobsTotal = sim.jobsTotal[e];
  const tasksTotal = sim.tasksTotal[e];
  out[off] = tasksTotal > 0 ? sim.tasksDone[e] / tasksTotal : 1;
  out[off + 1] = jobsTotal > 0 ? sim.jobsDone[e] / jobsTotal : 1;
  out[off + 2] = sim.sizeJobs[e];
  out[off + 3] = len > K ? (len - K) / len : 0;
  out[off + 4] = clip(makespan * invT, 10);
  out[off + 5] = clip(frontier * invT, 10);
  const mean = nm > 0 ? sim.sumFree[e] / nm : 0;
  const varc = nm > 0 ? sim.sumFree2[e] / nm - mean * mean : 0;
  out[off + 6] = clip(mean * invT, 10);
  out[off + 7] = varc > 0 ? clip(Math.sqrt(varc) * invT, 10) : 0;
  out[off + 8] = makespan > 0 && nm > 0 ? sim.busy[e] / (nm * makespan) : 0;
  let idle = 0;
  for (let m = 0; m < nm; m++) if (free[eM + m] <= frontier) idle++;
  out[off + 9] = nm > 0 ? idle / nm : 0;
  out[off + 10] = jobsTotal > 0 ? sim.jobsLate[e] / jobsTotal : 0;
  const withDue = sim.jobsWithDueDone[e];
  out[off + 11] = withDue > 0 ? clip(sim.sumDaysLate[e] / withDue / 10, 10) : 0;
  const eNT = e * sim.NT;
  let bottleneck = 0;
  for (let ty = 0, nt = inst.numTypes; ty < nt; ty++) {
    const c = inst.typeMachineCount[ty];
    if (c > 0) {
      const x = sim.typeRem[eNT + ty] / c;
      if (x > bottleneck) bottleneck = x;
    }
  }
  out[off + 12] = clip(bottleneck * invT, 10);
  const remaining = sim.remainingWork[e];
  out[off + 13] = nm > 0 && remaining > 0 ? clip((remaining / nm) * invT, 10) : 0;
  out[off + 14] = inst.objective === 'makespan' ? 1 : 0;
  out[off + 15] = sim.sizeMachines[e];
  return fill;
}

/**
 * Features 14 .. 21 of the `fill` visible slots at `out[base ..]`: ATC's relative priority and
 * each rule's rank among the first `inSet` slots (the visible conflict-set candidates, in
 * position order, so ties rank the lower position first, as the rules break them); a
 * candidate outside the conflict set ranks 1. Rank 0 under a rule is that rule's pick
 * (slots.ts keeps every rule's pick visible).
 */
function writePriorities(sim: Simulator, e: number, out: Float32Array, base: number, fill: number, inSet: number): void {
  const eJ = e * sim.J;
  const eK = e * sim.K;
  const order = sim.order;
  const slotPos = sim.slotPos;
  const keys = sim.slotKeys;
  const idx = sim.slotRank;
  const inv = atcScale(sim.atcPbar[e]);
  const scale = inSet > 1 ? 1 / (inSet - 1) : 0;
  for (let r = 0; r < NUM_PRIORITY_RULES; r++) {
    const n = r === RULE_ATC ? fill : inSet;
    for (let i = 0; i < n; i++) keys[i] = priorityKey(sim, e, order[eJ + slotPos[eK + i]], r, inv);
    // stable insertion sort of the conflict-set slots by key
    for (let i = 0; i < inSet; i++) {
      const k = keys[i];
      let q = i - 1;
      while (q >= 0 && keys[idx[q]] > k) {
        idx[q + 1] = idx[q];
        q--;
      }
      idx[q + 1] = i;
    }
    const col = base + PRIO_OFFSET + 1 + r;
    for (let q = 0; q < inSet; q++) out[col + idx[q] * F] = q * scale;
    for (let i = inSet; i < fill; i++) out[col + i * F] = 1;
    if (r === RULE_ATC) {
      const lowest = inSet > 0 ? keys[idx[0]] : Infinity;
      for (let i = 0; i < fill; i++) {
        const d = keys[i] - lowest;
        out[base + i * F + PRIO_OFFSET] = d > 0 ? Math.exp(-d) : 1;
      }
    }
  }
}
