import { TIME_EPS } from './calendar.js';
import type { CompiledInstance } from './instance.js';
import { LN_JOBS, LN_MACHINES, writeCandidateRow } from './observation.js';
import { writeAtcTerms } from './priorities.js';
import { SimState } from './state.js';

export type { SimulatorOptions } from './state.js';

/**
 * The discrete-event scheduling simulator, vectorized over `numEnvs` independent episodes
 * (docs/environment.md). All state is struct-of-arrays, `numEnvs * stride`, allocated once;
 * `apply()` allocates nothing.
 *
 * One decision places the next task of one unfinished job (a "candidate") on the machine(s)
 * that complete it earliest: after each machine's last placed task, or with `placement:
 * 'fill_gaps'` also in an idle gap between placed tasks (per-machine gap lists in state.ts).
 * Candidates of
 * env e are kept in `order[e*J ..]`, sorted by urgency: key = due - remaining work of the job
 * (least slack first; 0 stands for the due time of jobs without one), ties by job index.
 * `selectSlots` (slots.ts) picks the K positions a policy sees; rules may pick any position.
 */
export class Simulator extends SimState {
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
    if (this.fillGaps) this.gapCount.fill(0, eM, eM + inst.numMachines);
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

  /**
   * Earliest-completion machine (or machine set) of job j's next task: on each eligible
   * machine the earliest start at or after the job's ready time in the machine's free time
   * (after its last task; with gap filling also in an idle gap that holds the task whole).
   */
  computeCandidate(e: number, j: number, inst: CompiledInstance): void {
    const eJ = e * this.J;
    const eM = e * this.M;
    const t = this.jobNext[eJ + j];
    const scale = this.taskScale[e * this.T + t];
    const ready = this.jobReady[eJ + j];
    const elig = inst.taskElig;
    const eligWork = inst.eligWork;
    const k0 = inst.taskEligStart[t];
    const k1 = inst.taskEligStart[t + 1];
    if (inst.taskMulti[t] === 1) {
      const w = eligWork[k0] * scale;
      if (this.fillGaps) this.commonGap(e, inst, t, ready, w);
      else {
        const free = this.machineFree;
        let s = ready;
        let idle = Infinity;
        for (let k = k0; k < k1; k++) {
          const f = free[eM + elig[k]];
          if (f > s) s = f;
          if (f < idle) idle = f;
        }
        const c = inst.taskCal[t];
        s = inst.calendars.startFor(c, s, w, this.mode);
        this.foundStart = s;
        this.foundEnd = inst.calendars.stretchEnd(c, s, w);
        this.foundIdle = idle;
      }
      this.candStart[eJ + j] = this.foundStart;
      this.candEnd[eJ + j] = this.foundEnd;
      this.candIdleFrom[eJ + j] = this.foundIdle;
      this.candMachine[eJ + j] = -1;
      this.candWork[eJ + j] = w;
      writeAtcTerms(this, e, j);
      if (this.candFeat !== null) writeCandidateRow(this, e, j);
      return;
    }
    let bestS = 0;
    let bestE = Infinity;
    let bestM = -1;
    let bestW = 0;
    let bestIdle = 0;
    for (let k = k0; k < k1; k++) {
      const m = elig[k];
      const w = eligWork[k] * scale;
      if (this.earliestOn(e, inst, m, ready, w, bestE)) {
        bestE = this.foundEnd;
        bestS = this.foundStart;
        bestIdle = this.foundIdle;
        bestM = m;
        bestW = w;
      }
    }
    this.candStart[eJ + j] = bestS;
    this.candEnd[eJ + j] = bestE;
    this.candIdleFrom[eJ + j] = bestIdle;
    this.candMachine[eJ + j] = bestM;
    this.candWork[eJ + j] = bestW;
    writeAtcTerms(this, e, j);
    if (this.candFeat !== null) writeCandidateRow(this, e, j);
  }

  // Results of earliestOn / commonGap (fields, so that the hot path allocates nothing).
  private foundStart = 0;
  private foundEnd = 0;
  private foundIdle = 0;

  /**
   * The earliest placement of `w` hours of work on machine m at or after `ready`; sets the
   * found* fields and returns true if it ends before `bound` (else false, found* unspecified).
   */
  private earliestOn(e: number, inst: CompiledInstance, m: number, ready: number, w: number, bound: number): boolean {
    const cals = inst.calendars;
    const c = inst.machineCal[m];
    const mode = this.mode;
    const tail = this.machineFree[e * this.M + m];
    if (this.fillGaps) {
      const g0 = e * this.GS + inst.machineTaskStart[m];
      const n = this.gapCount[e * this.M + m];
      const lo = this.gapLo;
      const hi = this.gapHi;
      for (let i = this.firstGapAfter(g0, n, ready); i < n; i++) {
        const from = lo[g0 + i];
        const t = ready > from ? ready : from;
        if (t + w >= bound) return false; // later gaps start later still
        const h = hi[g0 + i];
        if (t + w > h + TIME_EPS) continue; // too short even without breaks
        const s = cals.startFor(c, t, w, mode);
        const en = cals.stretchEnd(c, s, w);
        if (en <= h + TIME_EPS) {
          if (!(en < bound)) return false;
          this.foundStart = s;
          this.foundEnd = en;
          this.foundIdle = from;
          return true;
        }
      }
    }
    const t = ready > tail ? ready : tail;
    if (t + w >= bound) return false; // cannot end earlier than the best so far
    const s = cals.startFor(c, t, w, mode);
    const en = cals.stretchEnd(c, s, w);
    if (!(en < bound)) return false;
    this.foundStart = s;
    this.foundEnd = en;
    this.foundIdle = tail;
    return true;
  }

  /** Index of the first of the n gaps at g0 that ends after `time` (n if none). */
  private firstGapAfter(g0: number, n: number, time: number): number {
    const hi = this.gapHi;
    let a = 0;
    let b = n;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (hi[g0 + mid] <= time) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /**
   * Gap filling, multi-machine task t: the earliest start at or after `ready` whose whole
   * occupied span is free on every machine of the task (a common gap, or after the last task
   * of each); sets the found* fields.
   */
  private commonGap(e: number, inst: CompiledInstance, t: number, ready: number, w: number): void {
    const cals = inst.calendars;
    const c = inst.taskCal[t];
    const mode = this.mode;
    const k0 = inst.taskEligStart[t];
    const k1 = inst.taskEligStart[t + 1];
    const elig = inst.taskElig;
    const eM = e * this.M;
    const eG = e * this.GS;
    const lo = this.gapLo;
    const hi = this.gapHi;
    let from = ready;
    for (;;) {
      const s = cals.startFor(c, from, w, mode);
      const en = cals.stretchEnd(c, s, w);
      let retry = s;
      let idle = Infinity;
      for (let k = k0; k < k1; k++) {
        const m = elig[k];
        const g0 = eG + inst.machineTaskStart[m];
        const n = this.gapCount[eM + m];
        const i = this.firstGapAfter(g0, n, s);
        let next: number; // where a free stretch that could hold the task next begins on m
        if (i < n && lo[g0 + i] <= s + TIME_EPS) {
          // s is inside gap i
          if (en <= hi[g0 + i] + TIME_EPS) {
            if (lo[g0 + i] < idle) idle = lo[g0 + i];
            continue;
          }
          next = i + 1 < n ? lo[g0 + i + 1] : this.machineFree[eM + m];
        } else if (i < n) next = lo[g0 + i]; // s is inside a task: the next gap
        else {
          const tail = this.machineFree[eM + m];
          if (s >= tail - TIME_EPS) {
            if (tail < idle) idle = tail;
            continue;
          }
          next = tail;
        }
        if (next > retry) retry = next;
      }
      if (retry === s) {
        this.foundStart = s;
        this.foundEnd = en;
        this.foundIdle = idle;
        return;
      }
      from = retry;
    }
  }

  /**
   * Places the candidate at position `p` of env e's urgency order (0 <= p < readyCount(e))
   * and returns the reward of this decision.
   */
  apply(e: number, p: number): number {
    const { J, T } = this;
    const eJ = e * J;
    const eT = e * T;
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
      this.occupy(e, inst, m, s, en);
      this.busy[e] += cw;
    } else {
      for (let k = k0; k < k1; k++) this.occupy(e, inst, inst.taskElig[k], s, en);
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
    if (m >= 0) this.refreshMachine(e, m, j, inst, s, en);
    else for (let k = k0; k < k1; k++) this.refreshMachine(e, inst.taskElig[k], j, inst, s, en);
    return reward;
  }

  /** Machine m of env e is busy over [s, en]: its last task's end moves, or (gap filling) a gap shrinks. */
  private occupy(e: number, inst: CompiledInstance, m: number, s: number, en: number): void {
    const idx = e * this.M + m;
    const old = this.machineFree[idx];
    if (this.fillGaps) {
      const g0 = e * this.GS + inst.machineTaskStart[m];
      const n = this.gapCount[idx];
      if (s < old - TIME_EPS) {
        this.splitGap(idx, g0, n, s, en);
        return;
      }
      // after the last task: the idle time before it becomes a gap
      if (s - old > TIME_EPS) {
        this.gapLo[g0 + n] = old;
        this.gapHi[g0 + n] = s;
        this.gapCount[idx] = n + 1;
      }
    }
    const end = en > old ? en : old;
    this.machineFree[idx] = end;
    this.sumFree[e] += end - old;
    this.sumFree2[e] += end * end - old * old;
  }

  /** Gap filling: [s, en] is taken out of the gap of machine idx that holds it. */
  private splitGap(idx: number, g0: number, n: number, s: number, en: number): void {
    const lo = this.gapLo;
    const hi = this.gapHi;
    const i = this.firstGapAfter(g0, n, s);
    if (!(i < n && lo[g0 + i] <= s + TIME_EPS && en <= hi[g0 + i] + TIME_EPS)) {
      throw new Error(`internal error: a task placed at [${s}, ${en}] is not inside an idle gap of its machine`);
    }
    const gl = lo[g0 + i];
    const gh = hi[g0 + i];
    const left = s - gl > TIME_EPS;
    const right = gh - en > TIME_EPS;
    if (left && right) {
      lo.copyWithin(g0 + i + 2, g0 + i + 1, g0 + n);
      hi.copyWithin(g0 + i + 2, g0 + i + 1, g0 + n);
      hi[g0 + i] = s;
      lo[g0 + i + 1] = en;
      hi[g0 + i + 1] = gh;
      this.gapCount[idx] = n + 1;
    } else if (left) hi[g0 + i] = s;
    else if (right) lo[g0 + i] = en;
    else {
      lo.copyWithin(g0 + i, g0 + i + 1, g0 + n);
      hi.copyWithin(g0 + i, g0 + i + 1, g0 + n);
      this.gapCount[idx] = n - 1;
    }
  }

  /**
   * Recomputes the candidates that machine m's new task [s, en] may have displaced: appending,
   * those on m (their start moved behind it); with gap filling, those on m whose span from
   * `candIdleFrom` to their end meets it (it took their place, or shortened the idle time
   * before them); the others are still free and still earliest, as m's free time only shrank.
   */
  private refreshMachine(e: number, m: number, skipJob: number, inst: CompiledInstance, s: number, en: number): void {
    const eJ = e * this.J;
    const tasks = inst.machineTasks;
    const taskJob = inst.taskJob;
    const jobNext = this.jobNext;
    const gaps = this.fillGaps;
    for (let k = inst.machineTaskStart[m], k1 = inst.machineTaskStart[m + 1]; k < k1; k++) {
      const tt = tasks[k];
      const jj = taskJob[tt];
      const ej = eJ + jj;
      if (jj !== skipJob && jobNext[ej] === tt && (this.candMachine[ej] === m || inst.taskMulti[tt] === 1)) {
        if (gaps && !(this.candIdleFrom[ej] <= en + TIME_EPS && this.candEnd[ej] >= s - TIME_EPS)) continue;
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
