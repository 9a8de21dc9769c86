import { q, type Mapping } from './mapping.js';

/**
 * CREATE TABLE statements for a mapping (the default mapping gives `scripts/schema.sql`; a
 * test keeps the two equal). Columns mapped to `null` are left out. No foreign keys and no
 * uniqueness beyond primary keys: production tables often lack them, and `sched ingest`
 * checks every reference row by row instead, naming the bad ones.
 */
export function schemaStatements(m: Mapping): string[] {
  const col = (name: string | null, type: string) => (name === null ? [] : [`${q(name)} ${type}`]);
  const table = (name: string, cols: string[], extra: string[] = []) =>
    `CREATE TABLE IF NOT EXISTS ${q(name)} (\n  ${[...cols, ...extra].join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
  const id = 'VARCHAR(128) NOT NULL';
  const ref = 'VARCHAR(128) NOT NULL';
  const hours = 'DECIMAL(12,4)';
  const M = m.machines.columns;
  const J = m.jobs.columns;
  const T = m.tasks.columns;
  const E = m.taskMachines.columns;
  const B = m.breaks.columns;
  const H = m.holidays.columns;
  return [
    table(
      m.machines.table,
      [...col(M.id, id), ...col(M.name, 'VARCHAR(255) NULL'), ...col(M.type, 'VARCHAR(128) NOT NULL'), ...col(M.calendar, 'VARCHAR(128) NULL')],
      [`PRIMARY KEY (${q(M.id)})`],
    ),
    table(
      m.jobs.table,
      [...col(J.id, id), ...col(J.due, 'DATETIME NULL'), ...col(J.release, 'DATETIME NULL'), ...col(J.important, 'TINYINT(1) NOT NULL DEFAULT 0')],
      [`PRIMARY KEY (${q(J.id)})`],
    ),
    table(
      m.tasks.table,
      [
        ...col(T.id, id),
        ...col(T.job, ref),
        ...col(T.sequence, 'INT NOT NULL'),
        ...col(T.processingTime, `${hours} NOT NULL`),
        ...col(T.setup, `${hours} NOT NULL DEFAULT 0`),
        ...col(T.requiresAll, 'TINYINT(1) NOT NULL DEFAULT 0'),
      ],
      [`PRIMARY KEY (${q(T.id)})`, `KEY ${q(`idx_${m.tasks.table}_job`)} (${q(T.job)})`],
    ),
    table(
      m.taskMachines.table,
      [`${q(E.id)} INT NOT NULL AUTO_INCREMENT`, ...col(E.task, ref), ...col(E.machine, ref)],
      [`PRIMARY KEY (${q(E.id)})`, `KEY ${q(`idx_${m.taskMachines.table}_task`)} (${q(E.task)})`],
    ),
    table(
      m.breaks.table,
      [
        `${q(B.id)} INT NOT NULL AUTO_INCREMENT`,
        ...col(B.calendar, 'VARCHAR(128) NULL'),
        ...col(B.weekday, 'TINYINT NOT NULL'),
        ...col(B.start, 'TIME NOT NULL'),
        ...col(B.end, 'TIME NOT NULL'),
      ],
      [`PRIMARY KEY (${q(B.id)})`],
    ),
    table(
      m.holidays.table,
      [
        `${q(H.id)} INT NOT NULL AUTO_INCREMENT`,
        ...col(H.calendar, 'VARCHAR(128) NULL'),
        ...col(H.start, 'DATETIME NOT NULL'),
        ...col(H.end, 'DATETIME NOT NULL'),
        ...col(H.name, 'VARCHAR(255) NULL'),
      ],
      [`PRIMARY KEY (${q(H.id)})`],
    ),
  ];
}
