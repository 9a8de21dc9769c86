import type { ScalarDump, ScalarWriter } from '../scalar-logger.js';

/**
 * SB3's stdout table, one per dump: keys grouped by their prefix (`rollout/`, `train/`, ...),
 * sorted, values with 3-4 significant digits. `out` receives the whole table at once (pass the
 * progress display's `print` so the table goes above a live progress bar).
 */
export class HumanScalarWriter implements ScalarWriter {
  readonly name = 'human';
  constructor(private readonly out: (text: string) => void) {}

  write(dump: ScalarDump): void {
    this.out(formatScalarTable(dump));
  }

  close(): void {}
}

export function formatScalarTable(dump: ScalarDump): string {
  const rows: [string, string][] = [
    ['stage', dump.stage],
    ['step', String(dump.step)],
  ];
  const keys = [...dump.values.keys()].sort();
  let group = '';
  for (const key of keys) {
    const slash = key.indexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash + 1) : '';
    if (prefix !== group) {
      group = prefix;
      if (prefix) rows.push([prefix, '']);
    }
    rows.push([prefix ? '    ' + key.slice(slash + 1) : key, formatValue(dump.values.get(key)!)]);
  }
  const kw = Math.max(...rows.map((r) => r[0].length));
  const vw = Math.max(...rows.map((r) => r[1].length));
  const dash = '-'.repeat(kw + vw + 7);
  return [dash, ...rows.map(([k, v]) => `| ${k.padEnd(kw)} | ${v.padEnd(vw)} |`), dash].join('\n') + '\n';
}

/** Integers as they are (up to 1e7), others with 4 significant digits, like SB3's `%.3g`-ish. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}
