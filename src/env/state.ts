import { Rng } from '../util/rng.js';
import type { CalendarMode } from './calendar.js';
import type { CompiledInstance } from './instance.js';
import { ROW_F } from './observation.js';
import { checkCalendarMode, checkPlacement, checkSlots, DEFAULT_SLOTS, resolveReward, resolveVariation, type Placement, type RewardWeights, type VariationOptions } from './config.js';

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
  /** `append` (default) or `fill_gaps`: whether a task may go into an idle gap (config.ts). */
  placement?: Placement;
  /** Maintain per-candidate observation rows (default true; rules running alone skip them). */
  features?: boolean;
}

/**
 * The simulator's state for `numEnvs` episodes: struct-of-arrays, each array `numEnvs *
 * stride` (stride = the largest count in the instance pool), indexed `e * stride + i`,
 * allocated once here. The dynamics live in `Simulator` (simulator.ts).
 */
export class SimState {
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
  readonly placement: Placement;
  /** placement === 'fill_gaps' (the hot paths test this). */
  readonly fillGaps: boolean;
  /** Gap-list stride: the largest machine-task count (sum over machines of the tasks each can run) in the pool; 0 without gap filling. */
  readonly GS: number;
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
  /** ATC's candidate-only terms (priorities.ts, `writeAtcTerms`): ln p - ln w, and the slack. */
  readonly candAtcA: Float64Array;
  readonly candAtcS: Float64Array;
  /**
   * Where the idle time before the candidate's start begins on its machine: the end of the
   * task before it there (the machine's last task, or with gap filling the start of the gap
   * it goes into); for a multi-machine task the earliest such time over its machines.
   */
  readonly candIdleFrom: Float64Array;
  readonly order: Int32Array;
  /** Per env x job: the candidate's slot features (observation.ts), or null without features. */
  readonly candFeat: Float32Array | null;

  // per env x slot (filled by selectSlots in slots.ts)
  /** Position in `order` of the candidate shown in each slot. */
  readonly slotPos: Int32Array;
  readonly slotCount: Int32Array;
  /** Scratch of the observation's rank features (observation.ts), K entries each. */
  readonly slotKeys: Float64Array;
  readonly slotRank: Int32Array;
  /** Earliest completion over all candidates: the conflict-set bound of selectSlots. */
  readonly conflictEnd: Float64Array;
  /** Mean work of the conflict set's candidates (ATC's p-bar), set with `conflictEnd`. */
  readonly atcPbar: Float64Array;

  // per env x task
  /** Nominal working time of each task in this episode (varied). */
  readonly taskWork: Float64Array;
  /** This episode's factor on the snapshot's times of each task (1 without variation). */
  readonly taskScale: Float64Array;
  readonly taskStart: Float64Array;
  readonly taskEnd: Float64Array;
  readonly taskMachine: Int32Array;

  // per env x machine, per env x type
  /** When each machine's last placed task ends (the tail of its timeline). */
  readonly machineFree: Float64Array;
  readonly typeRem: Float64Array;
  /**
   * Gap filling only: each machine's idle gaps before its last task, sorted disjoint
   * intervals [gapLo, gapHi). Machine m of env e owns `gapCount[e*M + m]` entries from
   * `e*GS + inst.machineTaskStart[m]`; its capacity, the number of tasks it can run, is
   * never exceeded since each placement adds at most one gap.
   */
  readonly gapLo: Float64Array;
  readonly gapHi: Float64Array;
  readonly gapCount: Int32Array;

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
    this.placement = checkPlacement(opts.placement);
    this.fillGaps = this.placement === 'fill_gaps';
    this.GS = this.fillGaps ? Math.max(1, ...insts.map((i) => i.machineTasks.length)) : 0;
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
    this.candAtcA = new Float64Array(N * J);
    this.candAtcS = new Float64Array(N * J);
    this.candIdleFrom = new Float64Array(N * J);
    this.order = new Int32Array(N * J);
    this.candFeat = opts.features === false ? null : new Float32Array(N * J * ROW_F);
    this.slotPos = new Int32Array(N * this.K);
    this.slotCount = new Int32Array(N);
    this.slotKeys = new Float64Array(this.K);
    this.slotRank = new Int32Array(this.K);
    this.conflictEnd = new Float64Array(N);
    this.atcPbar = new Float64Array(N);
    this.taskWork = new Float64Array(N * T);
    this.taskScale = new Float64Array(N * T);
    this.taskStart = new Float64Array(N * T);
    this.taskEnd = new Float64Array(N * T);
    this.taskMachine = new Int32Array(N * T);
    this.machineFree = new Float64Array(N * M);
    this.typeRem = new Float64Array(N * NT);
    this.gapLo = new Float64Array(N * this.GS);
    this.gapHi = new Float64Array(N * this.GS);
    this.gapCount = new Int32Array(this.fillGaps ? N * M : 0);
    this.reseed(opts.seed ?? 0);
  }

  /** Reseeds every env's generator (env e gets a stream derived from `seed` and e). */
  reseed(seed: number): void {
    for (let e = 0; e < this.numEnvs; e++) this.rngs[e].seed((seed >>> 0) ^ Math.imul(e + 1, 0x9e3779b9));
  }
}
