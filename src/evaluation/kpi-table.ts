/** A KPI table of policies (`sched test`, `sched check --rules`, `sched schedule --guard`). */

/** A column: the metric, its heading, how it is shown, and which direction is better. */
export interface KpiColumn<K extends string> {
  key: K;
  head: string;
  fmt: (v: number) => string;
  higher: boolean;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The schedule KPIs every table shows, in order. */
export const KPI_COLUMNS = [
  { key: 'completion_rate', head: 'completion', fmt: pct, higher: true },
  { key: 'on_time_rate', head: 'on time', fmt: pct, higher: true },
  { key: 'mean_days_late', head: 'mean days late', fmt: (v: number) => v.toFixed(2), higher: false },
  { key: 'max_days_late', head: 'max days late', fmt: (v: number) => v.toFixed(2), higher: false },
  { key: 'makespan', head: 'makespan (h)', fmt: (v: number) => v.toFixed(1), higher: false },
  { key: 'utilization', head: 'utilization', fmt: pct, higher: true },
] as const satisfies readonly KpiColumn<string>[];

export type KpiKey = (typeof KPI_COLUMNS)[number]['key'];

/** The KPIs of a schedule, or their means over instances (max days late: the maximum). */
export type KpiValues = Record<KpiKey, number>;

/** Cells of one table; `best` marks the best shown value per column (ties all marked). */
export function tableCells<K extends string>(rows: readonly ({ policy: string } & Record<K, number>)[], columns: readonly KpiColumn<K>[]): { policy: string; cells: string[]; best: boolean[] }[] {
  const shown = rows.map((r) => columns.map((c) => c.fmt(r[c.key])));
  const bestOf = columns.map((c, j) => {
    const vs = shown.map((s) => parseFloat(s[j]));
    return c.higher ? Math.max(...vs) : Math.min(...vs);
  });
  return rows.map((r, i) => ({ policy: r.policy, cells: shown[i], best: shown[i].map((s, j) => parseFloat(s) === bestOf[j]) }));
}

/**
 * The table as plain-text lines: a `policy` column, the columns (`*` marks the best value when
 * there are several rows),
 * then optional free-text columns (`extra`, one list of cells per row).
 */
export function textTable<K extends string>(
  rows: readonly ({ policy: string } & Record<K, number>)[],
  columns: readonly KpiColumn<K>[],
  extra: { heads: string[]; cells: string[][] } = { heads: [], cells: [] },
): string[] {
  const table = tableCells(rows, columns);
  const n = columns.length;
  const head = ['policy', ...columns.map((c) => `${c.head} `), ...extra.heads];
  const mark = rows.length > 1;
  const body = table.map((t, i) => [t.policy, ...t.cells.map((c, j) => (mark && t.best[j] ? `${c}*` : `${c} `)), ...(extra.cells[i] ?? [])]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((b) => (b[j] ?? '').length)));
  const pad = (cells: string[]) => cells.map((c, j) => (j === 0 || j > n ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  return [head, ...body].map((l) => pad(l).trimEnd());
}
