import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';
import type { Snapshot } from '../../src/data/snapshots/schema.js';

/** A small hand-made snapshot: multi-machine tasks, setups, two calendars with breaks and holidays. */
export const HAND_MADE = {
  version: 1,
  name: 'hand_made',
  start: '2026-11-02T06:00:00Z',
  machines: [
    { id: 'M1', name: 'Lathe 1', type: 'lathe' },
    { id: 'M2', type: 'mill', calendar: 'two_shift' },
    { id: 'M3', name: 'Crane', type: 'crane', calendar: 'two_shift' },
    { id: 'M10', type: 'mill' },
  ],
  calendars: {
    default: { breaks: [{ weekday: 1, start: 12, end: 12.5 }, { weekday: 5, start: 9.25, end: 9.5 }], holidays: [] },
    two_shift: {
      breaks: [{ weekday: 7, start: 0, end: 24 }, { weekday: 3, start: 22, end: 24 }],
      holidays: [
        { start: '2026-12-25T00:00:00Z', end: '2026-12-27T00:00:00Z', name: 'Christmas' },
        { start: 100, end: 110.5 },
      ],
    },
  },
  jobs: [
    {
      id: 'J1', due: 48, release: 0, important: true, tasks: [
        { id: 'J1.1', seq: 1, duration: 2.5, machines: ['M1', 'M2'] },
        { id: 'J1.2', seq: 2, duration: 1, requiresAll: ['M1', 'M3'], setup: 0.25 },
        { id: 'J1.3', seq: 5, duration: 0.75, machines: ['M10'] },
      ],
    },
    { id: 'J2', due: -3, release: 5.5, tasks: [{ id: 'J2.1', seq: 1, duration: 0.1234, machines: ['M10', 'M2', 'M1'] }] },
    { id: 'J10', due: 200.25, release: 24, important: false, tasks: [{ id: 'J10.1', seq: 1, duration: 30, requiresAll: ['M2', 'M3', 'M10'], setup: 2 }] },
  ],
};

/** A bigger instance shaped like the generated ones: many types, random times (not rounded), multi-machine tasks. */
export function generatedLike(seed: number, jobs = 150, machines = 40): Record<string, unknown> {
  const rng = new Rng(seed);
  const ms = Array.from({ length: machines }, (_, i) => ({
    id: `M${i + 1}`,
    name: `Machine ${i + 1}`,
    type: `type_${i % 12}`,
    ...(i % 5 === 0 ? { calendar: 'night' } : {}),
  }));
  const js = Array.from({ length: jobs }, (_, j) => {
    const n = 1 + rng.int(6);
    return {
      id: `J${j + 1}`,
      due: rng.uniform(-20, 400),
      release: rng.chance(0.3) ? 0 : rng.uniform(0, 100),
      important: rng.chance(0.2),
      tasks: Array.from({ length: n }, (_, t) => {
        const multi = rng.chance(0.15);
        const k = multi ? 2 + rng.int(2) : 1 + rng.int(4);
        const pick = new Set<string>();
        while (pick.size < k) pick.add(`M${1 + rng.int(machines)}`);
        return {
          id: `J${j + 1}-T${t + 1}`,
          seq: (t + 1) * 10,
          duration: rng.uniform(0.05, 12),
          ...(multi ? { requiresAll: [...pick] } : { machines: [...pick] }),
          ...(rng.chance(0.3) ? { setup: rng.uniform(0, 1.5) } : {}),
        };
      }),
    };
  });
  return {
    version: 1,
    name: 'generated_like',
    start: '2026-03-02T07:30:00Z',
    machines: ms,
    calendars: {
      default: { breaks: [1, 2, 3, 4, 5].map((d) => ({ weekday: d, start: 12, end: 12.5 })), holidays: [{ start: 150, end: 174, name: 'Easter' }] },
      night: { breaks: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ weekday: d, start: 0, end: 6 })), holidays: [{ start: rng.uniform(0, 50), end: 80 }] },
    },
    jobs: js,
  };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

/**
 * Deep equality of machines, calendars and jobs of two snapshots, numbers within `tol` hours
 * (the database rounds durations to 4 decimals and date-times to the second: 1/7200 h, plus float noise).
 */
export function assertSameSnapshot(actual: Snapshot, expected: Snapshot, tol = 1 / 7000): void {
  const cmp = (a: unknown, b: unknown, path: string): void => {
    if (typeof a === 'number' && typeof b === 'number') {
      assert.ok(Math.abs(a - b) <= tol, `${path}: ${a} differs from ${b} by more than ${tol}`);
      return;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
      assert.ok(Array.isArray(a) && Array.isArray(b), `${path}: one is an array, the other not`);
      assert.equal(a.length, b.length, `${path}: length ${a.length} vs ${b.length}`);
      a.forEach((x, i) => cmp(x, b[i], `${path}[${i}]`));
      return;
    }
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      const ka = Object.keys(a).sort();
      const kb = Object.keys(b).sort();
      assert.deepEqual(ka, kb, `${path}: keys differ`);
      for (const k of ka) cmp((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    assert.equal(a, b, `${path}: ${String(a)} vs ${String(b)}`);
  };
  cmp(actual.machines, expected.machines, 'machines');
  cmp(actual.calendars, expected.calendars, 'calendars');
  cmp(actual.jobs, expected.jobs, 'jobs');
  assert.equal(actual.objective, expected.objective);
}
