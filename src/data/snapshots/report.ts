import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SchedError, formatError } from '../../errors.js';
import { loadSnapshotFile } from './load.js';
import { snapshotStats, type SnapshotStats } from './stats.js';
import { formatStats, REPORT_COLUMNS, reportCells } from './stats-format.js';

/**
 * `snapshots/validation_report.md`: every `*.json` of a folder validated, with its statistics.
 * Deterministic (no dates, files in name order), so regenerating an unchanged folder gives
 * the same bytes.
 */

export interface ReportEntry {
  file: string;
  stats?: SnapshotStats;
  edgeCase?: string;
  error?: string;
}

export function validateFolder(dir: string): ReportEntry[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    try {
      const s = loadSnapshotFile(join(dir, file));
      const edge = s.meta?.edgeCase;
      return { file, stats: snapshotStats(s), ...(typeof edge === 'string' ? { edgeCase: edge } : {}) };
    } catch (err) {
      if (!(err instanceof SchedError)) throw err;
      return { file, error: formatError(err).replace(/^error: /, '') };
    }
  });
}

export function validationReport(entries: readonly ReportEntry[], header: string): string {
  const ok = entries.filter((e) => e.stats).length;
  const out: string[] = [
    '# Snapshot validation report',
    '',
    header,
    '',
    `${ok} of ${entries.length} files valid.`,
    '',
    `| file | valid | ${REPORT_COLUMNS.join(' | ')} |`,
    `| --- | --- | ${REPORT_COLUMNS.map(() => '---:').join(' | ')} |`,
  ];
  for (const e of entries) {
    const cells = e.stats ? reportCells(e.stats) : REPORT_COLUMNS.map(() => '');
    out.push(`| ${e.file} | ${e.stats ? 'yes' : '**no**'} | ${cells.join(' | ')} |`);
  }
  const edges = entries.filter((e) => e.edgeCase);
  if (edges.length > 0) {
    out.push('', '## Edge cases', '', '| file | what it exercises |', '| --- | --- |');
    for (const e of edges) out.push(`| ${e.file} | ${e.edgeCase} |`);
  }
  const bad = entries.filter((e) => e.error);
  if (bad.length > 0) {
    out.push('', '## Problems', '');
    for (const e of bad) out.push('```text', e.error!, '```', '');
  }
  out.push('', '## Statistics per file', '');
  for (const e of entries) {
    if (!e.stats) continue;
    out.push(`### ${e.file}`, '', '```text', formatStats(e.stats, 5), '```', '');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
