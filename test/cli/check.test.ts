import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_NAMES } from '../../src/baselines/index.js';
import { loadSnapshotFile } from '../../src/data/snapshots/load.js';
import type { ScheduleExport } from '../../src/env/schedule-export.js';
import { runCli } from '../helpers/cli.js';
import { trainTinyRun } from '../helpers/tiny-run.js';

const SNAPSHOTS = join(import.meta.dirname, '../../snapshots');
const NAMED = readdirSync(SNAPSHOTS).filter((f) => /^(snapshot_|edge_case_).*\.json$/.test(f)).sort();

let model: string;
before(async () => {
  model = join((await trainTinyRun()).run, 'checkpoints/toy_normal/best');
});

/** A folder holding the snapshot and edd's schedule of it (written by sched schedule). */
async function withSchedule(name = 'edge_case_long_tasks_holidays'): Promise<{ dir: string; snap: string; exp: ScheduleExport }> {
  const dir = mkdtempSync(join(tmpdir(), 'sched-check-'));
  const snap = join(SNAPSHOTS, `${name}.json`);
  const r = await runCli(['schedule', '--snapshot', snap, '--rule', 'edd', '--out', 'edd.json'], dir);
  assert.equal(r.code, 0, r.err);
  return { dir, snap, exp: JSON.parse(readFileSync(join(dir, 'edd.json'), 'utf8')) };
}

test('sched check accepts a rule schedule: KPIs of the file, --rules beside them, --json', async () => {
  const { dir, snap, exp } = await withSchedule();
  const r = await runCli(['check', '--snapshot', snap, '--schedule', 'edd.json', '--rules'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^edd\.json \(policy edd\) on snapshot edge_case_long_tasks_holidays, 20 assignments for 20 tasks, calendar stretch: feasible$/m);
  assert.match(r.out, /^policy\s+completion\s+on time\s+mean days late\s+max days late\s+makespan \(h\)\s+utilization\s+check$/m);
  for (const p of ['file', ...BASELINE_NAMES]) assert.match(r.out, new RegExp(`^${p}\\s+100\\.0%\\*?\\s.*feasible$`, 'm'), p);
  const line = (p: string) => r.out.split('\n').find((l) => l.startsWith(`${p} `))!.replace(/\*/g, '').split(/\s+/).slice(1);
  assert.deepEqual(line('file'), line('edd'), 'the file is edd\'s schedule');

  const j = await runCli(['check', '--snapshot', snap, '--schedule', 'edd.json', '--json', '--rules', 'atc,greedy'], dir);
  assert.equal(j.code, 0, j.err);
  const out = JSON.parse(j.out);
  assert.equal(out.feasible, true);
  assert.deepEqual(out.faults, []);
  assert.equal(out.policy, 'edd');
  assert.equal(out.kpis.makespan, exp.metrics.makespan);
  assert.equal(out.kpis.on_time_rate, exp.metrics.on_time_rate);
  assert.deepEqual(out.rules.map((x: { policy: string }) => x.policy), ['atc', 'greedy']);
  assert.ok(out.rules.every((x: { feasible: boolean }) => x.feasible));
});

test('sched check refuses each kind of fault with exit 4, one line naming the task and machine', async () => {
  const { dir, snap, exp } = await withSchedule();
  const snapshot = loadSnapshotFile(snap);
  const job = snapshot.jobs.find((j) => j.tasks.length >= 2 && j.tasks[0].requiresAll.length === 0)!;
  const task = job.tasks[0];
  const at = (id: string) => exp.assignments.findIndex((a) => a.task === id);
  const i0 = at(task.id);
  const first = exp.assignments[i0];
  const later = exp.assignments[at(job.tasks[1].id)];
  const other = exp.assignments.find((a) => a.machines[0] === first.machines[0] && a.task !== first.task)!;
  const wrongMachine = snapshot.machines.map((m) => m.id).find((m) => !task.machines.includes(m) && !task.requiresAll.includes(m))!;
  const cases: [string, (a: ScheduleExport['assignments']) => void, RegExp][] = [
    ['missing', (a) => a.splice(a.indexOf(a.find((x) => x.task === later.task)!), 1), new RegExp(`task ${later.task} of job ${later.job} is not scheduled`)],
    ['duplicate', (a) => a.push({ ...a[i0] }), new RegExp(`task ${first.task} is scheduled more than once`)],
    ['machine', (a) => (a[i0].machines = [wrongMachine]), new RegExp(`task ${first.task} on ${wrongMachine}: not an eligible machine set`)],
    ['precedence', (a) => {
      const x = a.find((y) => y.task === later.task)!;
      x.start = first.start;
    }, new RegExp(`task ${later.task} on ${later.machines.join(', ')} starts at [\\d.]+, before its predecessor`)],
    ['duration', (a) => (a[i0].end += 0.5), new RegExp(`task ${first.task} on ${first.machines.join(', ')} (gets [\\d.]+ working hours|ends at)`)],
    ['overlap', (a) => {
      const x = a.find((y) => y.task === other.task)!;
      x.start = first.start;
      x.end = first.end;
    }, new RegExp(`machine ${first.machines[0]}: tasks (${first.task} .* and ${other.task}|${other.task} .* and ${first.task}) .* overlap`)],
    ['calendar', (a) => {
      // into the Monday 00:00-06:00 break of the snapshot's calendar
      a[i0].start = 1;
      a[i0].end = 1 + (first.end - first.start);
    }, new RegExp(`task ${first.task} on ${first.machines.join(', ')} starts at 1, inside non-working time`)],
  ];
  for (const [name, change, message] of cases) {
    const bad = structuredClone(exp);
    change(bad.assignments);
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(bad));
    const before = readdirSync(dir).sort();
    const r = await runCli(['check', '--snapshot', snap, '--schedule', `${name}.json`], dir);
    assert.equal(r.code, 4, `${name}: ${r.out}`);
    assert.match(r.out, message, name);
    assert.match(r.out, /^\d+ faults?:$/m, name);
    assert.match(r.err, new RegExp(`^error: ${name}\\.json is not a feasible schedule of edge_case_long_tasks_holidays: \\d+ faults? \\(listed above\\)$`, 'm'), name);
    assert.deepEqual(readdirSync(dir).sort(), before, `${name}: nothing written`);
    const j = await runCli(['check', '--snapshot', snap, '--schedule', `${name}.json`, '--json'], dir);
    assert.equal(j.code, 4);
    const out = JSON.parse(j.out);
    assert.equal(out.feasible, false);
    assert.ok(out.faults.some((f: { message: string }) => message.test(f.message)), name);
  }
  // a stretched schedule that pauses over breaks is refused in no_split mode
  const normal = await withSchedule('snapshot_normal');
  const strict = await runCli(['check', '--snapshot', normal.snap, '--schedule', 'edd.json', '--calendar', 'no_split'], normal.dir);
  assert.equal(strict.code, 4);
  assert.match(strict.out, /is split by [\d.]+ h of non-working time/);
});

test('sched check: bad input is one sentence naming the place, exit 4, nothing written', async () => {
  const { dir, snap, exp } = await withSchedule();
  const files: [string, string, RegExp][] = [
    ['not-json.json', '{"snapshot": "edge_case_long_tasks_holidays", "assignments": [', /not-json\.json is not valid JSON: unexpected end of file at line 1 column \d+$/m],
    ['no-assignments.json', JSON.stringify({ snapshot: exp.snapshot }), /no-assignments\.json is not a schedule file: assignments: missing \(expected array\)$/m],
    ['no-start.json', JSON.stringify({ ...exp, assignments: exp.assignments.map((a, i) => (i === 3 ? { ...a, start: undefined } : a)) }), /no-start\.json is not a schedule file: assignments\[3\]\.start: missing \(expected number\)$/m],
    ['unknown-job.json', JSON.stringify({ ...exp, assignments: exp.assignments.map((a, i) => (i === 2 ? { ...a, job: 'J999' } : a)) }), /unknown-job\.json does not fit snapshot edge_case_long_tasks_holidays \(.*\): assignments\[2\]\.job: unknown job "J999"$/m],
    ['unknown-task.json', JSON.stringify({ ...exp, assignments: exp.assignments.map((a, i) => (i === 4 ? { ...a, task: 'T0' } : a)) }), /assignments\[4\]\.task: unknown task "T0"$/m],
    ['unknown-machine.json', JSON.stringify({ ...exp, assignments: exp.assignments.map((a, i) => (i === 0 ? { ...a, machines: ['M999'] } : a)) }), /assignments\[0\]\.machines\[0\]: unknown machine "M999"$/m],
    ['other.json', JSON.stringify({ ...exp, snapshot: 'snapshot_rush' }), /other\.json is a schedule of snapshot "snapshot_rush", not of "edge_case_long_tasks_holidays" \(.*edge_case_long_tasks_holidays\.json\)$/m],
  ];
  for (const [file, text] of files) writeFileSync(join(dir, file), text);
  const before = readdirSync(dir).sort();
  for (const [file, , message] of files) {
    const r = await runCli(['check', '--snapshot', snap, '--schedule', file, '--rules'], dir);
    assert.equal(r.code, 4, `${file}: ${r.err}`);
    assert.match(r.err, message, file);
    assert.equal(r.err.split('\n').filter((l) => l.startsWith('error:')).length, 1, file);
    assert.equal(r.out, '', `${file}: no report`);
  }
  assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');
  const missing = await runCli(['check', '--snapshot', snap, '--schedule', 'none.json'], dir);
  assert.equal(missing.code, 5);
  assert.match(missing.err, /cannot read schedule .*none\.json: no such file/);
  const rule = await runCli(['check', '--snapshot', snap, '--schedule', 'edd.json', '--rules', 'edd,nope'], dir);
  assert.equal(rule.code, 2);
  assert.match(rule.err, /unknown rule "nope"/);
});

test('sched schedule --model --guard on the named and edge-case snapshots: never worse than the best rule, the choice recorded, sched check accepts it and the model\'s own schedule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sched-guard-'));
  let modelChosen = 0;
  for (const f of NAMED) {
    const snap = join(SNAPSHOTS, f);
    const s = loadSnapshotFile(snap);
    const g = await runCli(['schedule', '--snapshot', snap, '--model', model, '--guard', '--out', `g_${f}`, '--backend', 'cpu'], dir);
    assert.equal(g.code, 0, `${f}: ${g.err}`);
    const exp = JSON.parse(readFileSync(join(dir, `g_${f}`), 'utf8')) as ScheduleExport;
    const record = exp.guard!;
    assert.equal(record.model, 'ppo');
    assert.deepEqual(record.candidates.map((c) => c.policy), ['ppo', ...BASELINE_NAMES], f);
    assert.ok(record.candidates.every((c) => c.feasible && c.faults === 0), f);
    const chosen = record.candidates.find((c) => c.policy === exp.policy)!;
    assert.ok(chosen, `${f}: the export's policy ${exp.policy} is a candidate`);
    if (exp.policy === 'ppo') modelChosen++;
    for (const c of record.candidates.slice(1)) {
      if (s.objective === 'makespan') assert.ok(chosen.makespan <= c.makespan + 1e-9, `${f}: ${exp.policy} vs ${c.policy}`);
      else {
        assert.ok(chosen.on_time_rate >= c.on_time_rate - 1e-9, `${f}: ${exp.policy} vs ${c.policy} on time`);
        if (Math.abs(chosen.on_time_rate - c.on_time_rate) < 1e-9) assert.ok(chosen.mean_days_late <= c.mean_days_late + 1e-9, `${f}: ${exp.policy} vs ${c.policy} lateness`);
      }
    }
    assert.match(g.out, new RegExp(`^guard: chose ${exp.policy}'s schedule \\(.*\\), the best of ${BASELINE_NAMES.length + 1} feasible schedules out of ${BASELINE_NAMES.length + 1} by ${s.objective === 'makespan' ? 'makespan' : 'on-time rate, then mean days late, then makespan'}\\.$`, 'm'), f);
    assert.match(g.out, exp.policy === 'ppo' ? /^The model \(ppo\) (beats|ties) the best rule, \w+: / : new RegExp(`^The model \\(ppo\\) trails ${exp.policy}: `, 'm'), f);
    assert.match(g.out, new RegExp(`^${exp.policy} \\(chosen\\)\\s`, 'm'));
    assert.equal(exp.metrics.on_time_rate, chosen.on_time_rate);

    const c = await runCli(['check', '--snapshot', snap, '--schedule', `g_${f}`, '--json'], dir);
    assert.equal(c.code, 0, `${f}: ${c.out}`);
    assert.equal(JSON.parse(c.out).kpis.on_time_rate, chosen.on_time_rate);
    const m = await runCli(['schedule', '--snapshot', snap, '--model', model, '--out', `m_${f}`, '--backend', 'cpu'], dir);
    assert.equal(m.code, 0, m.err);
    const mc = await runCli(['check', '--snapshot', snap, '--schedule', `m_${f}`], dir);
    assert.equal(mc.code, 0, `${f}: the model's schedule: ${mc.out}`);
  }
  assert.ok(modelChosen < NAMED.length, 'the tiny model loses somewhere, so the guard did replace it');
});

test('sched schedule --guard --calendar no_split checks every candidate in no_split mode; sched check agrees', async () => {
  const { dir, snap } = await withSchedule('snapshot_normal');
  const g = await runCli(['schedule', '--snapshot', snap, '--model', model, '--guard', '--calendar', 'no_split', '--out', 'g.json', '--backend', 'cpu'], dir);
  assert.equal(g.code, 0, g.err);
  assert.equal((g.out.match(/ feasible$/gm) ?? []).length, BASELINE_NAMES.length + 1);
  const c = await runCli(['check', '--snapshot', snap, '--schedule', 'g.json', '--calendar', 'no_split'], dir);
  assert.equal(c.code, 0, c.out);
});

test('sched schedule --guard --samples N: the model\'s candidate is its best of N + 1 runs', async () => {
  const { dir, snap } = await withSchedule('snapshot_rush');
  const best = await runCli(['schedule', '--snapshot', snap, '--model', model, '--samples', '4', '--out', 'best.json', '--backend', 'cpu'], dir);
  assert.equal(best.code, 0, best.err);
  const g = await runCli(['schedule', '--snapshot', snap, '--model', model, '--samples', '4', '--guard', '--out', 'g.json', '--backend', 'cpu'], dir);
  assert.equal(g.code, 0, g.err);
  assert.match(g.out, /^ppo_best4(\s|$)/m);
  const sampled = JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8')) as ScheduleExport;
  const guarded = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8')) as ScheduleExport;
  assert.equal(guarded.guard!.model, 'ppo_best4');
  const candidate = guarded.guard!.candidates[0];
  assert.equal(candidate.policy, 'ppo_best4');
  for (const k of ['on_time_rate', 'mean_days_late', 'makespan'] as const) assert.ok(Math.abs(candidate[k] - sampled.metrics[k]) < 1e-9, `${k}: ${candidate[k]} vs ${sampled.metrics[k]}`);
  assert.ok(guarded.metrics.on_time_rate >= Math.max(...guarded.guard!.candidates.map((c) => c.on_time_rate)) - 1e-12);
});

test('sched schedule --guard needs --model; a guarded run that fails writes nothing', async () => {
  const { dir, snap } = await withSchedule();
  const r = await runCli(['schedule', '--snapshot', snap, '--rule', 'edd', '--guard', '--out', 'x.json'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /--guard needs --model DIR/);
  const m = await runCli(['schedule', '--snapshot', snap, '--model', 'no/such/model', '--guard', '--out', 'x.json'], dir);
  assert.equal(m.code, 6);
  assert.deepEqual(readdirSync(dir).sort(), ['edd.json']);
});
