import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot, loadSnapshotFile } from '../../src/data/snapshots/load.js';
import { generateSnapshot } from '../../src/data/snapshots/generator.js';
import { ALL_PROFILES } from '../../src/data/snapshots/profiles.js';
import { snapshotWarnings, warningLine, timeScale, type WarningRule } from '../../src/data/snapshots/warnings.js';
import { runCli } from '../helpers/cli.js';
import { cleanSnapshot } from '../helpers/clean-snapshot.js';

type File = ReturnType<typeof cleanSnapshot>;

/** Each rule, broken once in the clean snapshot: the rules and lines it must give, in order. */
const CASES: { name: string; rules: WarningRule[]; lines: string[]; edit(f: File): void }[] = [
  {
    name: 'due before release',
    edit: (f) => void Object.assign(f.jobs[1], { release: 10, due: 5 }),
    rules: ['due-before-release'],
    lines: ["jobs[1].due: is at hour 5, before the job's release at hour 10: it is late before it can start"],
  },
  {
    name: 'release far after hour 0 (a year typed wrong), and so after the due date',
    edit: (f) => void (f.jobs[2].release = 35_000),
    rules: ['release-far', 'due-before-release'],
    lines: [
      "jobs[2].release: is at hour 35000, more than 10 × the snapshot's time scale (32.5 h) from hour 0",
      "jobs[2].due: is at hour 30, before the job's release at hour 35000: it is late before it can start",
    ],
  },
  {
    name: 'due far before hour 0',
    edit: (f) => void Object.assign(f.jobs[3], { release: 0, due: -5000 }),
    rules: ['due-far'],
    lines: ["jobs[3].due: is at hour -5000, more than 10 × the snapshot's time scale (27.5 h) from hour 0"],
  },
  {
    name: 'a processing time 100 times its type median',
    edit: (f) => void (f.jobs[0].tasks[0].duration = 300),
    rules: ['duration-outlier'],
    lines: ['jobs[0].tasks[0].duration: is 300 h on machine type "lathe", 100 × the median 3 h of its 6 tasks there (limit: 25 × either way)'],
  },
  {
    name: 'a processing time in minutes where hours belong (per-machine durations)',
    edit: (f) => void Object.assign(f.jobs[4].tasks[0], { durations: [0.05, 2] }),
    rules: ['duration-outlier'],
    lines: ['jobs[4].tasks[0].durations[0]: is 0.05 h on machine type "lathe", 1/52.5 of the median 2.63 h of its 6 tasks there (limit: 25 × either way)'],
  },
  {
    name: 'a machine type no task can use',
    edit: (f) => void f.machines.push({ id: 'G1', type: 'grinder' }, { id: 'G2', type: 'grinder' }),
    rules: ['unused-type'],
    lines: ['machines[3].type: is "grinder", a machine type no task can use (machines G1, G2)'],
  },
  {
    name: 'the only machine of a task never works in the horizon',
    edit: (f) => {
      f.calendars.shut = { breaks: [], holidays: [{ start: 0, end: 1000, name: 'closed' }] };
      f.machines.push({ id: 'M4', type: 'lathe', calendar: 'shut' } as File['machines'][number]);
      f.jobs[5].tasks[0].machines = ['M4'];
    },
    rules: ['no-working-time'],
    lines: ['jobs[5].tasks[0].machines: can only run on machine M4, whose calendar has no working time in the horizon (hour 0 to 45)'],
  },
  {
    name: 'a multi-machine task needs a machine that never works',
    edit: (f) => {
      f.calendars.shut = { breaks: [], holidays: [{ start: 0, end: 1000 }] };
      f.machines.push({ id: 'M4', type: 'mill', calendar: 'shut' } as File['machines'][number]);
      f.jobs[5].tasks[1].machines = undefined as unknown as string[];
      Object.assign(f.jobs[5].tasks[1], { requiresAll: ['M3', 'M4'] });
    },
    rules: ['no-working-time'],
    lines: ['jobs[5].tasks[1].requiresAll: needs machine M4 (with the others at once), whose calendar has no working time in the horizon (hour 0 to 45)'],
  },
];

const broken = (edit: (f: File) => void) => {
  const f = cleanSnapshot();
  edit(f);
  return f;
};

test('the clean snapshot has no warnings', () => {
  assert.deepEqual(snapshotWarnings(parseSnapshot(cleanSnapshot())), []);
});

for (const c of CASES) {
  test(`warning: ${c.name}`, () => {
    const ws = snapshotWarnings(parseSnapshot(broken(c.edit)));
    assert.deepEqual(ws.map((w) => w.rule), c.rules);
    assert.deepEqual(ws.map(warningLine), c.lines);
  });
}

test('a calendar no row defines is a warning only as a fact from the database', () => {
  const f = cleanSnapshot();
  f.calendars.CAL_GHOST = { breaks: [], holidays: [] };
  Object.assign(f.machines[2], { calendar: 'CAL_GHOST' });
  const s = parseSnapshot(f);
  assert.deepEqual(snapshotWarnings(s), [], 'an empty calendar written in a file is deliberate');
  const ws = snapshotWarnings(s, { undefinedCalendars: ['CAL_GHOST'] });
  assert.deepEqual(ws.map(warningLine), [
    'machines[2].calendar: names calendar "CAL_GHOST", which no break or holiday defines: the machine works through every break and holiday',
  ]);
  assert.deepEqual({ subject: ws[0].subject, id: ws[0].id, field: ws[0].field }, { subject: 'machine', id: 'M3', field: 'calendar' });
});

test('the time scale is robust to one far-off date', () => {
  const s = parseSnapshot(cleanSnapshot());
  const far = parseSnapshot(broken((f) => void (f.jobs[0].due = 1e6)));
  assert.equal(timeScale(s), 32.5); // median due of 20, 25, ..., 45
  assert.equal(timeScale(far), 37.5);
});

test('no warnings on the named snapshots nor on any generated profile (seeds 1-3): warnings do not cry wolf', () => {
  for (const f of readdirSync('snapshots').filter((n) => n.startsWith('snapshot_') && n.endsWith('.json'))) {
    assert.deepEqual(snapshotWarnings(loadSnapshotFile(join('snapshots', f))).map(warningLine), [], f);
  }
  for (const p of ALL_PROFILES) {
    for (const seed of [1, 2, 3]) {
      const ws = snapshotWarnings(parseSnapshot(generateSnapshot(p, seed)));
      assert.deepEqual(ws.map(warningLine), [], `${p.name} seed ${seed}`);
    }
  }
});

test('sched snapshots validate names and counts warnings; --strict exits 4; --json carries them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-warn-'));
  writeFileSync(join(dir, 'clean.json'), JSON.stringify(cleanSnapshot()));
  writeFileSync(join(dir, 'late.json'), JSON.stringify(broken(CASES[1].edit)));
  const r = await runCli(['snapshots', 'validate', 'clean.json', 'late.json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ok {3}clean\.json: 6 jobs, 12 tasks, 3 machines, 0 warnings$/m);
  assert.match(r.out, /^ok {3}late\.json: 6 jobs, 12 tasks, 3 machines, 2 warnings$/m);
  for (const line of CASES[1].lines) assert.ok(r.out.includes(`  ⚠ ${line}\n`), line);
  assert.equal(r.out.trimEnd().split('\n').at(-1), '2 of 2 files valid, 2 warnings');

  const strict = await runCli(['snapshots', 'validate', '--strict', 'clean.json', 'late.json'], dir);
  assert.equal(strict.code, 4);
  assert.match(strict.err, /^error: 2 warnings in 1 of 2 snapshot files \(--strict makes warnings fatal\)$/m);
  assert.equal((await runCli(['snapshots', 'validate', '--strict', 'clean.json'], dir)).code, 0);

  const j = await runCli(['snapshots', 'validate', '--json', 'clean.json', 'late.json'], dir);
  assert.equal(j.code, 0, j.err);
  const json = JSON.parse(j.out);
  assert.equal(json.warnings, 2);
  assert.deepEqual(json.files[1].warnings.map((w: { rule: string; path: string; id: string }) => [w.rule, w.path, w.id]), [
    ['release-far', 'jobs[2].release', 'J3'],
    ['due-before-release', 'jobs[2].due', 'J3'],
  ]);

  // a bad file keeps its one sentence and exit 4; the count of the others' warnings follows
  writeFileSync(join(dir, 'bad.json'), '{"machines": []}');
  const bad = await runCli(['snapshots', 'validate', 'late.json', 'bad.json'], dir);
  assert.equal(bad.code, 4);
  assert.match(bad.err, /error: 1 of 2 snapshot files did not validate; 2 warnings in the others/);
});

test('sched snapshots stats shows the warnings of a file; --json carries them; --strict exits 4', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-warn-'));
  writeFileSync(join(dir, 'odd.json'), JSON.stringify(broken(CASES[5].edit)));
  const r = await runCli(['snapshots', 'stats', 'odd.json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^warnings \(legal data that looks wrong; rules in docs\/snapshots\.md\):\n {2}⚠ machines\[3\]\.type: is "grinder", a machine type no task can use \(machines G1, G2\)$/m);
  assert.equal(r.out.trimEnd().split('\n').at(-1), '1 warning');
  const j = JSON.parse((await runCli(['snapshots', 'stats', 'odd.json', '--json'], dir)).out);
  assert.equal(j.machines, 5);
  assert.deepEqual(j.warnings.map((w: { rule: string }) => w.rule), ['unused-type']);
  const s = await runCli(['snapshots', 'stats', 'odd.json', '--strict'], dir);
  assert.equal(s.code, 4);
  assert.match(s.err, /error: 1 warning in odd\.json \(--strict makes warnings fatal\)/);
  const clean = await runCli(['snapshots', 'stats', join(process.cwd(), 'snapshots', 'snapshot_normal.json'), '--strict']);
  assert.equal(clean.code, 0, clean.err);
  assert.equal(clean.out.trimEnd().split('\n').at(-1), '0 warnings');
});
