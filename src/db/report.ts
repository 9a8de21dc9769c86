import type { IngestReport } from './ingest.js';

/** The ingest report as markdown (printed, and written by `--report F.md`). */
export function reportMarkdown(r: IngestReport): string {
  const lines = [
    `# Ingest report: ${r.database}`,
    '',
    `- source: ${r.source}`,
    `- start (hour 0): ${r.start}`,
    `- snapshot: ${r.snapshot.jobs} jobs, ${r.snapshot.tasks} tasks, ${r.snapshot.machines} machines, ${r.snapshot.calendars} calendars`,
    `- rows read: ${Object.entries(r.rowsRead).map(([t, n]) => `${t} ${n}`).join(', ')}`,
    `- bad rows skipped: ${r.badRows.length}; rows left out because they depend on them: ${r.leftOut.length}`,
    `- warnings (legal rows that look wrong): ${r.warnings.length}`,
  ];
  if (r.badRows.length) {
    lines.push('', '## Bad rows (skipped)', '', '| table | row id | column | problem |', '| --- | --- | --- | --- |');
    for (const p of r.badRows) lines.push(`| ${p.table} | ${esc(p.id)} | ${p.column ?? ''} | ${esc(p.problem)} |`);
  }
  if (r.leftOut.length) {
    lines.push('', '## Left out (depend on a bad row)', '', '| table | row id | because |', '| --- | --- | --- |');
    for (const l of r.leftOut) lines.push(`| ${l.table} | ${esc(l.id)} | ${esc(l.because)} |`);
  }
  if (r.warnings.length) {
    lines.push('', '## Warnings (kept; see docs/database.md)', '', '| table | row id | column | rule | why |', '| --- | --- | --- | --- | --- |');
    for (const w of r.warnings) lines.push(`| ${w.table} | ${esc(w.id)} | ${w.column ?? ''} | ${w.rule} | ${esc(w.problem)} |`);
  }
  return lines.join('\n') + '\n';
}

export function reportJson(r: IngestReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

const esc = (s: string) => s.replace(/\|/g, '\\|');
