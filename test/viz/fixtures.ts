import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';
import type { ScheduleExport } from '../../src/env/schedule-export.js';
import type { TestResultRow } from '../../src/viz/inputs.js';

/** Synthetic run folders in the formats the trainer, `sched test` and `sched schedule` write. */

export const STAGES = [
  { name: 'toy_easy', start: 0, end: 61_440, status: 'done', advancedEarly: true },
  { name: 'toy_normal', start: 61_440, end: 161_440, status: 'done', advancedEarly: false },
  { name: 'toy_hard', start: 161_440, end: 223_232, status: 'running', advancedEarly: false },
] as const;

export const POLICIES = ['ppo', 'random', 'fifo', 'edd', 'spt', 'lpt', 'mwkr', 'cr', 'atc', 'greedy'];

/** scalars.jsonl lines: rollout and train tags every 2048 steps, evaluations every 10240. */
export function scalarLines(seed = 1): string[] {
  const rng = new Rng(seed);
  const lines: string[] = [];
  let wall = 1_763_790_000;
  STAGES.forEach((st, si) => {
    for (let step = st.start + 2048; step <= st.end; step += 2048) {
      const p = (step - st.start) / (st.end - st.start);
      const put = (tag: string, value: number) => lines.push(JSON.stringify({ stage: st.name, step, tag, value, wall: (wall += 0.1) }));
      put('rollout/ep_rew_mean', -200 * (si + 1) + 900 * (si + 1) * (1 - Math.exp(-3 * p)) + rng.uniform(-40, 40));
      put('rollout/ep_len_mean', 5 * (si + 2) * 3);
      put('train/approx_kl', 0.01 + rng.uniform(0, 0.01));
      put('train/clip_fraction', 0.1 + rng.uniform(0, 0.05));
      put('train/entropy_loss', -1.5 + p);
      put('train/learning_rate', 3e-4);
      put('time/fps', 900 + rng.uniform(-50, 50));
      if ((step - st.start) % 10_240 === 0) {
        put('eval/mean_reward', -150 * (si + 1) + 900 * (si + 1) * (1 - Math.exp(-3 * p)) + rng.uniform(-20, 20));
        put('eval/completion_rate', Math.min(1, 0.6 + 0.4 * p + rng.uniform(0, 0.05)));
        put('eval/on_time_rate', Math.min(1, 0.3 + 0.5 * p - 0.1 * si + rng.uniform(0, 0.08)));
        put('eval/makespan', 60 - 10 * p + si * 20);
        put('eval/mean_days_late', 3 - 2 * p + si);
      }
    }
  });
  return lines;
}

export function trainingState(): unknown {
  return {
    version: 1,
    currentStage: 'toy_hard',
    globalStep: 223_232,
    stages: [
      ...STAGES.map((s, i) => ({
        name: s.name,
        status: s.status,
        startStep: s.start,
        endStep: s.status === 'running' ? null : s.end,
        bestEval: { completion_rate: 0.98 - 0.05 * i, on_time_rate: 0.8 - 0.1 * i, mean_days_late: 0.5 + i, makespan: 50 + 20 * i, mean_reward: 700 * (i + 1) },
        advancedEarly: s.advancedEarly,
      })),
      { name: 'toy_multi', status: 'pending', startStep: null, endStep: null, bestEval: null, advancedEarly: false },
    ],
    seeds: { master: 1 },
  };
}

export function testResults(): TestResultRow[] {
  const rows: TestResultRow[] = [];
  const rng = new Rng(7);
  for (const stage of ['toy_normal', 'toy_hard']) {
    for (const snapshot of [`${stage}_heldout_0`, `${stage}_heldout_1`]) {
      POLICIES.forEach((policy, i) => {
        const good = policy === 'ppo' ? 0.15 : policy === 'random' ? -0.2 : 0;
        rows.push({
          stage,
          snapshot,
          policy,
          completion_rate: 1,
          on_time_rate: Math.min(1, 0.55 + good + rng.uniform(0, 0.1)),
          mean_days_late: Math.max(0, 2.5 - 6 * good + rng.uniform(0, 1)),
          max_days_late: 6 + i * 0.3,
          makespan: 70 - 40 * good + rng.uniform(0, 8),
          utilization: 0.6 + rng.uniform(0, 0.2),
          schedule_ms: policy === 'ppo' ? 40 : 2,
        });
      });
    }
  }
  return rows;
}

/** A small snapshot (5 machines, 10 jobs) with a lunch break and a holiday, and its schedule. */
export function snapshotAndSchedule(nJobs = 10, nMachines = 5): { snapshot: Record<string, unknown>; schedule: ScheduleExport } {
  const rng = new Rng(3);
  const machines = Array.from({ length: nMachines }, (_, i) => ({ id: `M${i + 1}`, type: ['lathe', 'mill', 'drill', 'paint', 'assembly'][i % 5] }));
  const jobs = Array.from({ length: nJobs }, (_, j) => ({
    id: `J${j + 1}`,
    due: 10 + j * 2.5,
    important: j % 4 === 0,
    tasks: Array.from({ length: 3 }, (_, t) => ({ id: `J${j + 1}.${t + 1}`, seq: t + 1, duration: Math.round(rng.uniform(2, 7)), machines: [machines[(j + t) % nMachines].id] })),
  }));
  const breaks = [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: 12, end: 13 },
    { weekday, start: 22, end: 24 },
    { weekday, start: 0, end: 6 },
  ]);
  const snapshot = {
    name: 'fixture_small',
    start: '2026-11-02T06:00:00Z',
    machines,
    calendars: { default: { breaks: [...breaks, { weekday: 6, start: 0, end: 24 }, { weekday: 7, start: 0, end: 24 }], holidays: [{ start: 76, end: 82, name: 'plant meeting' }] } },
    jobs,
  };
  // list scheduling in job order: each task at the earliest time its machine and job allow
  const free = new Map<string, number>();
  const assignments: ScheduleExport['assignments'] = [];
  const completion = new Map<string, number>();
  for (let t = 0; t < 3; t++) {
    for (const j of jobs) {
      const task = j.tasks[t];
      const m = task.machines[0];
      const start = Math.max(free.get(m) ?? 0, completion.get(j.id) ?? 0);
      const end = start + task.duration;
      free.set(m, end);
      completion.set(j.id, end);
      assignments.push({ job: j.id, task: task.id, machines: [m], start, end });
    }
  }
  const perJob = jobs.map((j) => {
    const c = completion.get(j.id)!;
    return { id: j.id, due: j.due, completion: c, important: j.important, days_late: Math.max(0, (c - j.due) / 24) };
  });
  const makespan = Math.max(...assignments.map((a) => a.end));
  const late = perJob.filter((j) => j.days_late > 0);
  const schedule: ScheduleExport = {
    snapshot: 'fixture_small',
    policy: 'edd',
    assignments,
    metrics: {
      makespan,
      completion_rate: 1,
      on_time_rate: 1 - late.length / jobs.length,
      mean_days_late: late.reduce((s, j) => s + j.days_late, 0) / jobs.length,
      max_days_late: Math.max(0, ...perJob.map((j) => j.days_late)),
      utilization: 0.7,
      invalid_actions: 0,
      tasks_scheduled: assignments.length,
      tasks_total: assignments.length,
    },
    jobs: perJob,
  };
  return { snapshot, schedule };
}

export interface RunFolderParts {
  scalars?: string[] | string;
  state?: unknown;
  tests?: unknown;
  schedule?: ScheduleExport;
  snapshot?: Record<string, unknown>;
}

/** Writes a run folder with the given parts (all of them by default) into a new temp dir. */
export function makeRunFolder(parts: RunFolderParts | 'full' = 'full'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sched-viz-'));
  const p: RunFolderParts = parts === 'full' ? { scalars: scalarLines(), state: trainingState(), tests: testResults(), ...snapshotAndSchedule() } : parts;
  const write = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  if (p.scalars !== undefined) write('logs/scalars.jsonl', typeof p.scalars === 'string' ? p.scalars : p.scalars.join('\n') + '\n');
  if (p.state !== undefined) write('checkpoints/training_state.json', JSON.stringify(p.state, null, 2));
  if (p.tests !== undefined) write('reports/test_results.json', JSON.stringify(p.tests, null, 2));
  if (p.schedule) write('schedules/edd_fixture_small.json', JSON.stringify(p.schedule, null, 2));
  if (p.snapshot) write('snapshots/fixture_small.json', JSON.stringify(p.snapshot, null, 2));
  return dir;
}
