import { Rng } from '../util/rng.js';
import { TIME_EPS, type CalendarMode } from './calendar.js';
import type { CompiledInstance } from './instance.js';
import { F, LN_JOBS, LN_MACHINES, writeCandidateRow } from './observation.js';
import { checkCalendarMode, checkSlots, DEFAULT_SLOTS, resolveReward, resolveVariation, type RewardWeights, type VariationOptions } from './config.js';

export interface SimulatorOptions {
  /** The pool of base instances; each reset draws one (uniformly, seeded). */
  instances: readonly CompiledInstance[];
  numEnvs: number;
  /** K, the number of candidate slots shown to a policy (default 32). */
  slots?: number;
  reward?: Partial<RewardWeights>;
  /** Seeded per-reset variation, or 'off' (default here: 'off'). */
  variation?: Partial<VariationOptions> | 'off';
  seed?: number;
  calendarMode?: CalendarMode;
  /** Maintain per-candidate observation rows (default true; rules running alone skip them). */
  features?: boolean;
}

/**
 * The discrete-event scheduling simulator, vectorized over `numEnvs` independent episodes
 * (docs/environment.md). All state is struct-of-arrays, `numEnvs * stride`, allocated once;
 * `apply()` allocates nothing.
 *
 * One decision places the next task of one unfinished job (a "candidate") on the machine(s)
 * that complete it earliest, appended after each machine's last placed task. Candidates of
 * env e are kept in `order[e*J ..]`, sorted by urgency: key = due - remaining work of the job
 * (least slack first; 0 stands for the due time of jobs without one), ties by job index.
 * `selectSlots` (slots.ts) picks the K positions a policy sees; rules may pick any position.
 */
export class Simulator {
  readonly instances: readonly CompiledInstance[];
  readonly numEnvs: number;
  readonly K: number;
  /** Strides: the largest job, task, machine and type counts in the pool. */
  readonly J: number;
  readonly T: number;
  readonly M: number;
  readonly NT: number;
  readonly reward: RewardWeights;
  readonly variation: VariationOptions;
  readonly mode: CalendarMode;
  readonly rngs: Rng[];

  // per env
  readonly instOf: Int32Array;
  readonly tasksTotal: Int32Array;
  readonly tasksDone: Int32Array;
  readonly jobsTotal: Int32Array;
  readonly jobsDone: Int32Array;
  /** Jobs completed on time, or without a due time. */
  readonly jobsOnTime: Int32Array;
  readonly jobsLate: Int32Array;
  /** Completed jobs that have a due time (the denominator of mean days late). */
  readonly jobsWithDueDone: Int32Array;
  readonly orderLen: Int32Array;
  readonly makespan: Float64Array;
  /** Machine-hours of work placed (a multi-machine task counts once per machine). */
  readonly busy: Float64Array;
  readonly remainingWork: Float64Array;
  readonly sumFree: Float64Array;
  readonly sumFree2: Float64Array;
  readonly sumDaysLate: Float64Array;
  readonly maxDaysLate: Float64Array;
  /** Size features of the episode (observation.ts), computed at reset. */
  readonly sizeJobs: Float32Array;
  readonly sizeMachines: Float32Array;

  // per env x job
  readonly jobActive: Uint8Array;
  readonly jobNext: Int32Array;
  readonly jobReady: Float64Array;
  readonly jobDue: Float64Array;
  readonly jobRemWork: Float64Array;
  readonly jobKey: Float64Array;
  readonly jobEnd: Float64Array;
  readonly candMachine: Int32Array;
  /** Working time of the candidate on its chosen machine(s) (varied). */
  readonly candWork: Float64Array;
  readonly candStart: Float64Array;
  readonly candEnd: Float64Array;
  readonly order: Int32Array;
  /** Per env x job: the candidate's slot features (observation.ts), or null without features. */
  readonly candFeat: Float32Array | null;

  // per env x slot (filled by selectSlots in slots.ts)
  /** Position in `order` of the candidate shown in each slot. */
  readonly slotPos: Int32Array;
  readonly slotCount: Int32Array;
  /** Earliest completion over all candidates: the conflict-set bound of selectSlots. */
  readonly conflictEnd: Float64Array;

  // per env x task
  /** Nominal working time of each task in this episode (varied). */
  readonly taskWork: Float64Array;
  /** This episode's factor on the snapshot's times of each task (1 without variation). */
  readonly taskScale: Float64Array;
  readonly taskStart: Float64Array;
  readonly taskEnd: Float64Array;
  readonly taskMachine: Int32Array;

  // per env x machine, per env x type
  readonly machineFree: Float64Array;
  readonly typeRem: Float64Array;

  constructor(opts: SimulatorOptions) {
    const insts = opts.instances;
    this.instances = insts;
    const N = opts.numEnvs;
    this.numEnvs = N;
    this.K = checkSlots(opts.slots ?? DEFAULT_SLOTS);
    this.J = Math.max(1, ...insts.map((i) => i.numJobs));
    this.T = Math.max(1, ...insts.map((i) => i.numTasks));
    this.M = Math.max(1, ...insts.map((i) => i.numMachines));
    this.NT = Math.max(1, ...insts.map((i) => i.numTypes));
    this.reward = resolveReward(opts.reward);
    this.variation = resolveVariation(opts.variation ?? 'off');
    this.mode = checkCalendarMode(opts.calendarMode);
    this.rngs = Array.from({ length: N }, () => new Rng(0));
    const { J, T, M, NT } = this;
    this.instOf = new Int32Array(N);
    this.tasksTotal = new Int32Array(N);
    this.tasksDone = new Int32Array(N);
    this.jobsTotal = new Int32Array(N);
    this.jobsDone = new Int32Array(N);
    this.jobsOnTime = new Int32Array(N);
    this.jobsLate = new Int32Array(N);
    this.jobsWithDueDone = new Int32Array(N);
    this.orderLen = new Int32Array(N);
    this.makespan = new Float64Array(N);
    this.busy = new Float64Array(N);
    this.remainingWork = new Float64Array(N);
    this.sumFree = new Float64Array(N);
    this.sumFree2 = new Float64Array(N);
    this.sumDaysLate = new Float64Array(N);
    this.maxDaysLate = new Float64Array(N);
    this.sizeJobs = new Float32Array(N);
    this.sizeMachines = new Float32Array(N);
    this.jobActive = new Uint8Array(N * J);
    this.jobNext = new Int32Array(N * J);
    this.jobReady = new Float64Array(N * J);
    this.jobDue = new Float64Array(N * J);
    this.jobRemWork = new Float64Array(N * J);
    this.jobKey = new Float64Array(N * J);
    this.jobEnd = new Float64Array(N * J);
    this.candMachine = new Int32Array(N * J);
    this.candWork = new Float64Array(N * J);
    this.candStart = new Float64Array(N * J);
    this.candEnd = new Float64Array(N * J);
    this.order = new Int32Array(N * J);
    this.candFeat = opts.features === false ? null : new Float32Array(N * J * F);
    this.slotPos = new Int32Array(N * this.K);
    this.slotCount = new Int32Array(N);
    this.conflictEnd = new Float64Array(N);
    this.taskWork = new Float64Array(N * T);
    this.taskScale = new Float64Array(N * T);
    this.taskStart = new Float64Array(N * T);
    this.taskEnd = new Float64Array(N * T);
    this.taskMachine = new Int32Array(N * T);
    this.machineFree = new Float64Array(N * M);
    this.typeRem = new Float64Array(N * NT);
    this.reseed(opts.seed ?? 0);
  }

  /** Reseeds every env's generator (env e gets a stream derived from `seed` and e). */
  reseed(seed: number): void {
    for (let e = 0; e < this.numEnvs; e++) this.rngs[e].seed((seed >>> 0) ^ Math.imul(e + 1, 0x9e3779b9));
  }

  /** Unfinished jobs of env e (each has exactly one candidate). */
  readyCount(e: number): number {
    return this.orderLen[e];
  }

  isDone(e: number): boolean {
    return this.tasksDone[e] >= this.tasksTotal[e];
  }

  instanceOf(e: number): CompiledInstance {
    return this.instances[this.instOf[e]];
  }

  /** Starts a new episode in env e: draws a base instance and its variation. */
  resetEnv(e: number): void {
    const rng = this.rngs[e];
    const pool = this.instances.length;
    const ii = pool > 1 ? rng.int(pool) : 0;
    this.instOf[e] = ii;
    const inst = this.instances[ii];
    const { J, T, M, NT } = this;
    const eJ = e * J;
    const eT = e * T;
    const eM = e * M;
    const v = this.variation;

    this.tasksTotal[e] = 0;
    this.tasksDone[e] = 0;
    this.jobsTotal[e] = 0;
    this.jobsDone[e] = 0;
    this.jobsOnTime[e] = 0;
    this.jobsLate[e] = 0;
    this.jobsWithDueDone[e] = 0;
    this.orderLen[e] = 0;
    this.makespan[e] = 0;
    this.busy[e] = 0;
    this.remainingWork[e] = 0;
    this.sumFree[e] = 0;
    this.sumFree2[e] = 0;
    this.sumDaysLate[e] = 0;
    this.maxDaysLate[e] = 0;
    this.machineFree.fill(0, eM, eM + inst.numMachines);
    this.typeRem.fill(0, e * NT, e * NT + NT);

    const nt = inst.numTasks;
    const jit = v.durationJitter;
    if (jit > 0) {
      for (let t = 0; t < nt; t++) {
        const f = 1 + jit * (2 * rng.float() - 1);
        this.taskScale[eT + t] = f;
        this.taskWork[eT + t] = inst.taskWork[t] * f;
      }
    } else {
      this.taskScale.fill(1, eT, eT + nt);
      this.taskWork.set(inst.taskWork, eT);
    }

    const keep = v.jobKeepMin < 1 ? v.jobKeepMin + (1 - v.jobKeepMin) * rng.float() : 1;
    const shift = v.dueShiftHours;
    const nj = inst.numJobs;
    for (let j = 0; j < nj; j++) {
      const active = keep >= 1 || rng.float() < keep;
      const dueShift = shift > 0 && inst.jobHasDue[j] === 1 ? shift * (2 * rng.float() - 1) : 0;
      if (active) this.activateJob(e, j, inst, dueShift);
      else {
        this.jobActive[eJ + j] = 0;
        this.jobNext[eJ + j] = -1;
      }
    }
    if (this.tasksTotal[e] === 0 && nt > 0) {
      // the subset dropped every job with work: keep the first such job
      let j = 0;
      while (inst.jobTaskStart[j + 1] === inst.jobTaskStart[j]) j++;
      this.activateJob(e, j, inst, 0);
    }

    // candidates, then the urgency order by binary insertion
    const order = this.order;
    const key = this.jobKey;
    let len = 0;
    for (let j = 0; j < nj; j++) {
      if (this.jobNext[eJ + j] < 0) continue;
      this.computeCandidate(e, j, inst);
      const kj = key[eJ + j];
      let lo = 0;
      let hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const o = order[eJ + mid];
        if (key[eJ + o] < kj || (key[eJ + o] === kj && o < j)) lo = mid + 1;
        else hi = mid;
      }
      order.copyWithin(eJ + lo + 1, eJ + lo, eJ + len);
      order[eJ + lo] = j;
      len++;
    }
    this.orderLen[e] = len;
    this.sizeJobs[e] = Math.log(1 + this.jobsTotal[e]) / LN_JOBS;
    this.sizeMachines[e] = Math.log(1 + inst.numMachines) / LN_MACHINES;
  }

  private activateJob(e: number, j: number, inst: CompiledInstance, dueShift: number): void {
    const eJ = e * this.J;
    const eT = e * this.T;
    const t0 = inst.jobTaskStart[j];
    const t1 = inst.jobTaskStart[j + 1];
    const due = inst.jobDue[j] + dueShift;
    const release = inst.jobRelease[j];
    this.jobActive[eJ + j] = 1;
    this.jobsTotal[e]++;
    this.jobDue[eJ + j] = due;
    this.jobReady[eJ + j] = release;
    if (t1 === t0) {
      // a job with no tasks is complete at its release
      this.jobNext[eJ + j] = -1;
      this.jobEnd[eJ + j] = release;
      this.jobsDone[e]++;
      this.recordCompletion(e, j, inst, release);
      return;
    }
    let rem = 0;
    const eNT = e * this.NT;
    for (let t = t0; t < t1; t++) {
      const w = this.taskWork[eT + t];
      rem += w;
      this.typeRem[eNT + inst.taskType[t]] += w;
    }
    this.tasksTotal[e] += t1 - t0;
    this.remainingWork[e] += rem;
    this.jobNext[eJ + j] = t0;
    this.jobRemWork[eJ + j] = rem;
    this.jobKey[eJ + j] = (inst.jobHasDue[j] === 1 ? due : 0) - rem;
    this.jobEnd[eJ + j] = NaN;
  }

  /** Earliest-completion machine (or machine set) of job j's next task. */
  computeCandidate(e: number, j: number, inst: CompiledInstance): void {
    const eJ = e * this.J;
    const eM = e * this.M;
    const t = this.jobNext[eJ + j];
    const scale = this.taskScale[e * this.T + t];
    const ready = this.jobReady[eJ + j];
    const free = this.machineFree;
    const elig = inst.taskElig;
    const eligWork = inst.eligWork;
    const cals = inst.calendars;
    const mode = this.mode;
    const k0 = inst.taskEligStart[t];
    const k1 = inst.taskEligStart[t + 1];
    if (inst.taskMulti[t] === 1) {
      let s = ready;
      for (let k = k0; k < k1; k++) {
        const f = free[eM + elig[k]];
        if (f > s) s = f;
      }
      const c = inst.taskCal[t];
      const w = eligWork[k0] * scale;
      s = cals.startFor(c, s, w, mode);
      this.candStart[eJ + j] = s;
      this.candEnd[eJ + j] = cals.stretchEnd(c, s, w);
      this.candMachine[eJ + j] = -1;
      this.candWork[eJ + j] = w;
      if (this.candFeat !== null) writeCandidateRow(this, e, j);
      return;
    }
    let bestS = 0;
    let bestE = Infinity;
    let bestM = -1;
    let bestW = 0;
    const machineCal = inst.machineCal;
    for (let k = k0; k < k1; k++) {
      const m = elig[k];
      const w = eligWork[k] * scale;
      let s = free[eM + m];
      if (ready > s) s = ready;
      if (s + w >= bestE) continue; // cannot end earlier than the best so far
      const c = machineCal[m];
      s = cals.startFor(c, s, w, mode);
      const en = cals.stretchEnd(c, s, w);
      if (en < bestE) {
        bestE = en;
        bestS = s;
        bestM = m;
        bestW = w;
      }
    }
    this.candStart[eJ + j] = bestS;
    this.candEnd[eJ + j] = bestE;
    this.candMachine[eJ + j] = bestM;
    this.candWork[eJ + j] = bestW;
    if (this.candFeat !== null) writeCandidateRow(this, e, j);
  }

  /**
   * Places the candidate at position `p` of env e's urgency order (0 <= p < readyCount(e))
   * and returns the reward of this decision.
   */
  apply(e: number, p: number): number {
    const { J, T, M } = this;
    const eJ = e * J;
    const eT = e * T;
    const eM = e * M;
    const inst = this.instances[this.instOf[e]];
    const order = this.order;
    const j = order[eJ + p];
    const t = this.jobNext[eJ + j];
    const s = this.candStart[eJ + j];
    const en = this.candEnd[eJ + j];
    const m = this.candMachine[eJ + j];
    const cw = this.candWork[eJ + j];
    const w = this.taskWork[eT + t];
    this.taskStart[eT + t] = s;
    this.taskEnd[eT + t] = en;
    this.taskMachine[eT + t] = m;
    const k0 = inst.taskEligStart[t];
    const k1 = inst.taskEligStart[t + 1];
    if (m >= 0) {
      this.occupy(e, eM + m, en);
      this.busy[e] += cw;
    } else {
      for (let k = k0; k < k1; k++) this.occupy(e, eM + inst.taskElig[k], en);
      this.busy[e] += cw * (k1 - k0);
    }
    this.tasksDone[e]++;
    this.remainingWork[e] -= w;
    this.typeRem[e * this.NT + inst.taskType[t]] -= w;

    const R = this.reward;
    let reward = R.action;
    const prevMs = this.makespan[e];
    if (en > prevMs) {
      this.makespan[e] = en;
      if (inst.objective === 'makespan') reward += (R.makespan * (en - prevMs)) / inst.meanTaskWork;
    }
    const rem = this.jobRemWork[eJ + j] - w;
    this.jobRemWork[eJ + j] = rem;
    this.jobReady[eJ + j] = en;
    const len = this.orderLen[e];
    const next = t + 1;
    if (next >= inst.jobTaskStart[j + 1]) {
      this.jobNext[eJ + j] = -1;
      this.jobEnd[eJ + j] = en;
      this.jobsDone[e]++;
      reward += this.recordCompletion(e, j, inst, en);
      order.copyWithin(eJ + p, eJ + p + 1, eJ + len);
      this.orderLen[e] = len - 1;
    } else {
      this.jobNext[eJ + j] = next;
      const key = (inst.jobHasDue[j] === 1 ? this.jobDue[eJ + j] : 0) - rem;
      this.jobKey[eJ + j] = key;
      this.computeCandidate(e, j, inst);
      // the key grew (less work left): move j right to its place among [p+1, len)
      const keys = this.jobKey;
      let lo = p + 1;
      let hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const o = order[eJ + mid];
        if (keys[eJ + o] < key || (keys[eJ + o] === key && o < j)) lo = mid + 1;
        else hi = mid;
      }
      if (lo - 1 > p) {
        order.copyWithin(eJ + p, eJ + p + 1, eJ + lo);
        order[eJ + lo - 1] = j;
      }
    }
    // candidates whose best machine was just taken must be recomputed; the others only lost
    // an option that was not their best, so they keep their choice
    if (m >= 0) this.refreshMachine(e, m, j, inst);
    else for (let k = k0; k < k1; k++) this.refreshMachine(e, inst.taskElig[k], j, inst);
    return reward;
  }

  private occupy(e: number, idx: number, end: number): void {
    const old = this.machineFree[idx];
    this.machineFree[idx] = end;
    this.sumFree[e] += end - old;
    this.sumFree2[e] += end * end - old * old;
  }

  private refreshMachine(e: number, m: number, skipJob: number, inst: CompiledInstance): void {
    const eJ = e * this.J;
    const tasks = inst.machineTasks;
    const taskJob = inst.taskJob;
    const jobNext = this.jobNext;
    for (let k = inst.machineTaskStart[m], k1 = inst.machineTaskStart[m + 1]; k < k1; k++) {
      const tt = tasks[k];
      const jj = taskJob[tt];
      if (jj !== skipJob && jobNext[eJ + jj] === tt && (this.candMachine[eJ + jj] === m || inst.taskMulti[tt] === 1)) {
        this.computeCandidate(e, jj, inst);
      }
    }
  }

  /** Due-date bookkeeping of a completed job; returns its reward. */
  private recordCompletion(e: number, j: number, inst: CompiledInstance, end: number): number {
    if (inst.jobHasDue[j] === 0) {
      this.jobsOnTime[e]++;
      return 0;
    }
    const R = this.reward;
    const f = inst.jobImportant[j] === 1 ? R.importantFactor : 1;
    const due = this.jobDue[e * this.J + j];
    this.jobsWithDueDone[e]++;
    if (end <= due + TIME_EPS) {
      this.jobsOnTime[e]++;
      return f * (R.onTime + (R.earlyPerDay * Math.max(0, due - end)) / 24);
    }
    const late = (end - due) / 24;
    this.jobsLate[e]++;
    this.sumDaysLate[e] += late;
    if (late > this.maxDaysLate[e]) this.maxDaysLate[e] = late;
    return f * R.latePerDay * late;
  }
}
