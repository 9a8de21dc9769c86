import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveMapping, loadMappingFile, DEFAULT_MAPPING, q } from '../../src/db/mapping.js';
import { parseDbUrl, redactUrl } from '../../src/db/connection.js';
import { SchedError } from '../../src/errors.js';
import { tempDir } from './helpers.js';

describe('database mapping', () => {
  it('defaults to the schema of scripts/schema.sql and overrides single names', () => {
    const m = resolveMapping({ tasks: { table: 'tbl_ops', columns: { processingTime: 'dauer_h', setup: null } }, breaks: { weekdays: 'dayofweek' } });
    assert.equal(m.tasks.table, 'tbl_ops');
    assert.equal(m.tasks.columns.processingTime, 'dauer_h');
    assert.equal(m.tasks.columns.setup, null);
    assert.equal(m.tasks.columns.job, 'job_id', 'unmentioned columns keep their default');
    assert.equal(m.breaks.weekdays, 'dayofweek');
    assert.deepEqual(resolveMapping({}), DEFAULT_MAPPING);
  });

  it('refuses identifiers outside [A-Za-z0-9_], unknown keys and two tables of one name, listing every problem', () => {
    const err = (() => {
      try {
        resolveMapping({ machines: { table: 'm; DROP TABLE x' }, jobs: { columns: { due: 'due`' } }, task: {} }, 'mapping m.yaml');
      } catch (e) {
        return e as SchedError;
      }
      assert.fail('no error');
    })();
    assert.equal(err.code, 'CONFIG');
    assert.match(err.message, /^mapping m\.yaml is not a valid database mapping \(3 problems\)$/);
    assert.ok(err.details.some((d) => d.startsWith('machines.table: must be 1..64 characters of [A-Za-z0-9_]')));
    assert.ok(err.details.some((d) => d.startsWith('jobs.columns.due:')));
    assert.throws(
      () => resolveMapping({ jobs: { table: 'tbl_machine' } }),
      (e: SchedError) => e.details[0] === 'jobs.table: "tbl_machine" is also the table of machines',
    );
    assert.throws(() => q('a`b'), /not a valid SQL identifier/);
    assert.equal(q('ai_jobs'), '`ai_jobs`');
  });

  it('reads YAML mapping files and names bad YAML with its line', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'ok.yaml'), 'machines:\n  table: maschinen\n  columns: { type: typ }\n');
      assert.equal(loadMappingFile(join(t.dir, 'ok.yaml')).machines.columns.type, 'typ');
      writeFileSync(join(t.dir, 'bad.yaml'), 'machines:\n  table: [\n');
      assert.throws(() => loadMappingFile(join(t.dir, 'bad.yaml')), /is not valid YAML\/JSON at line \d+ column \d+/);
      assert.throws(() => loadMappingFile(join(t.dir, 'none.yaml')), /cannot read mapping .*none\.yaml: no such file/);
    } finally {
      t.remove();
    }
  });
});

describe('database URLs', () => {
  it('are redacted wherever they appear, whatever the password holds', () => {
    assert.equal(redactUrl('mysql://root:s3cret@db.local:3306/prod'), 'mysql://root:***@db.local:3306/prod');
    assert.equal(redactUrl('at mysql://u:p@ss:w0rd@h/db and mariadb://v:x@h2/d'), 'at mysql://u:***@h/db and mariadb://v:***@h2/d');
    assert.equal(redactUrl('mysql://root@h/db'), 'mysql://root@h/db');
  });

  it('are parsed into host, port, user and database with defaults', () => {
    const t = parseDbUrl('mysql://planner:p%40ss@10.0.0.5/factory');
    assert.deepEqual({ ...t }, { host: '10.0.0.5', port: 3306, user: 'planner', password: 'p@ss', database: 'factory', redacted: 'mysql://planner:***@10.0.0.5/factory' });
    assert.throws(() => parseDbUrl('mysql://root:pw@host:3306'), (e: SchedError) => e.code === 'USAGE' && /names no database/.test(e.message) && !e.message.includes('pw'));
    assert.throws(() => parseDbUrl('not a url'), /is not a database URL/);
  });
});
