import type { SnapshotStats, Spread } from './stats.js';

/** Human-readable renderings of `SnapshotStats`: a terminal table and markdown rows. */

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const num = (x: number, digits = 1) => (Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(digits)) : '∞');
const spreadText = (s: Spread | null, unit = ' h') => (s ? `${num(s.min)} / ${num(s.median)} / ${num(s.max)}${unit}` : '-');

function table(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

/** The statistics as a terminal table; `topTypes` most loaded machine types are listed. */
export function formatStats(s: SnapshotStats, topTypes = 10): string {
  const pairs: [string, string][] = [
    ['snapshot', `${s.name} (objective: ${s.objective})`],
    ['jobs', `${s.jobs}${s.emptyJobs ? ` (${s.emptyJobs} without tasks)` : ''}`],
    ['tasks', `${s.tasks} (${num(s.jobs ? s.tasks / s.jobs : 0)} per job; ${s.tasksWithSetup} with setup)`],
    ['machines', `${s.machines} in ${s.machineTypes} types`],
    ['multi-machine tasks', `${s.multiMachineTasks} (${pct(s.multiMachineShare)})`],
    ['eligible machines', s.eligible ? `${num(s.eligible.min)} / ${num(s.eligible.median)} / ${num(s.eligible.max)} (min / median / max per ordinary task)` : '-'],
    ['important jobs', pct(s.importantShare)],
    ['urgent jobs', `${pct(s.urgentShare)} (${s.urgentSource === 'generator' ? "generator's flag" : 'slack < own work'})`],
  ];
  if (s.objective === 'due_dates') {
    pairs.push(
      ['already late (due < 0)', pct(s.alreadyLateShare)],
      ['late for sure', `${pct(s.lateForSureShare)} (due < release + own work)`],
      ['due dates', `${spreadText(s.due)} (min / median / max)`],
      ['slack', `${spreadText(s.slack)} (due − release − own work)`],
    );
  }
  pairs.push(
    ['releases', `${spreadText(s.release)} (min / median / max)`],
    ['horizon', `${num(s.horizon)} h (${s.horizonSource === 'meta' ? 'generator' : s.horizonSource === 'due' ? 'latest due date' : 'makespan lower bound'})`],
    ['calendar working share', pct(s.workingShare)],
    ['total work', `${num(s.totalWork)} machine-h`],
    ['capacity', `${num(s.capacity)} machine-h (working hours within the horizon)`],
    ['load (work / capacity)', pct(s.load)],
  );
  const width = Math.max(...pairs.map(([k]) => k.length));
  const lines = pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const shown = s.types.slice(0, topTypes);
  lines.push('', `machine types by load (${shown.length} of ${s.types.length}):`);
  const rows = [['type', 'machines', 'tasks', 'eligible', 'work h', 'capacity h', 'load']];
  for (const t of shown) rows.push([t.type, String(t.machines), String(t.tasks), num(t.meanEligible, 2), num(t.work), num(t.capacity), pct(t.load)]);
  lines.push(...table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']).map((l) => '  ' + l));
  return lines.join('\n');
}

/** The columns of one validation-report row. */
export const REPORT_COLUMNS = ['jobs', 'tasks', 'machines', 'types', 'multi-machine', 'urgent', 'important', 'due median h', 'load', 'top type load'];

export function reportCells(s: SnapshotStats): string[] {
  const top = s.types[0];
  return [
    String(s.jobs),
    String(s.tasks),
    String(s.machines),
    String(s.machineTypes),
    pct(s.multiMachineShare),
    pct(s.urgentShare),
    pct(s.importantShare),
    s.due ? num(s.due.median) : '-',
    pct(s.load),
    top ? `${top.type} ${pct(top.load)}` : '-',
  ];
}
