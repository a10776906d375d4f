import { OpsError } from '@opsmcp/core';
import { describe, expect, it } from 'vitest';
import { guardReadStatement } from '../src/sql-guard.js';

const ACCEPTED: string[] = [
  'SELECT 1',
  'select current_version()',
  'SELECT * FROM information_schema.be_tablets WHERE NUM_ROWSET > 100',
  'SELECT BE_ID, COUNT(*) FROM information_schema.be_tablets GROUP BY BE_ID ORDER BY 2 DESC LIMIT 10',
  'SELECT DB_NAME, TABLE_NAME, MAX_CS FROM information_schema.partitions_meta WHERE MAX_CS >= 100 ORDER BY MAX_CS DESC',
  "WITH t AS (SELECT * FROM information_schema.loads WHERE STATE = 'CANCELLED') SELECT ERROR_MSG, COUNT(*) FROM t GROUP BY ERROR_MSG",
  'SELECT * FROM a UNION ALL SELECT * FROM b',
  "/* which loads failed */ SELECT LABEL FROM information_schema.loads WHERE STATE = 'CANCELLED'",
  "SELECT 'DROP TABLE t; DELETE FROM x' AS harmless_text",
  'SELECT `into`, `update` FROM t',
  'SHOW BACKENDS',
  'show compute nodes',
  'SHOW FRONTENDS;',
  "SHOW PROC '/statistic'",
  "SHOW PROC '/backends/10003'",
  "SHOW PROC '/compactions'",
  'SHOW DATABASES',
  'SHOW TABLES FROM sales',
  'SHOW CREATE TABLE sales.orders',
  'SHOW ALL ROUTINE LOAD FROM sales',
  'SHOW ROUTINE LOAD FOR sales.kafka_orders',
  "SHOW LOAD FROM sales WHERE STATE = 'CANCELLED' ORDER BY CreateTime DESC LIMIT 10",
  'SHOW TABLET 20871',
  'SHOW TABLET FROM sales.orders',
  'SHOW PARTITIONS FROM sales.orders',
  "SHOW VARIABLES LIKE 'query_timeout'",
  'SHOW DATA FROM sales.orders',
  "ADMIN SHOW FRONTEND CONFIG LIKE 'lake_%'",
  "ADMIN SHOW REPLICA STATUS FROM sales.orders WHERE STATUS != 'OK'",
  'ADMIN SHOW REPLICA DISTRIBUTION FROM sales.orders',
  'DESCRIBE sales.orders',
  'DESC information_schema.loads',
  'EXPLAIN SELECT * FROM sales.orders WHERE id = 1',
  'EXPLAIN VERBOSE SELECT * FROM sales.orders',
];

const REJECTED: [string, RegExp][] = [
  ['DROP TABLE sales.orders', /not a read statement/],
  ['drop database sales', /not a read statement/],
  ['DELETE FROM sales.orders WHERE id = 1', /not a read statement/],
  ['UPDATE sales.orders SET a = 1', /not a read statement/],
  ['INSERT INTO t SELECT * FROM u', /not a read statement/],
  ['REPLACE INTO t VALUES (1)', /not a read statement/],
  ['TRUNCATE TABLE t', /not a read statement/],
  ['ALTER TABLE t ADD COLUMN c INT', /not a read statement/],
  ['CREATE TABLE t (a INT)', /not a read statement/],
  ['SELECT 1; DROP TABLE t', /2 statements/],
  ['SELECT 1;DELETE FROM t', /2 statements/],
  ['SHOW BACKENDS; DROP TABLE t', /multiple statements/],
  ["SHOW PROC '/statistic'; KILL 1", /multiple statements/],
  ['SELECT * FROM t INTO OUTFILE "/tmp/x"', /OUTFILE/],
  ["SELECT * FROM t INTO DUMPFILE '/tmp/x'", /DUMPFILE/],
  ['SELECT * FROM a UNION SELECT * FROM b INTO OUTFILE "/tmp/x"', /OUTFILE/],
  ['SELECT a INTO @x FROM t', /variable/],
  ['SELECT * FROM t FOR UPDATE', /FOR UPDATE/],
  ['SELECT * FROM t LOCK IN SHARE MODE', /LOCK IN SHARE MODE/],
  ['SET GLOBAL query_timeout = 1', /SET/],
  ['set password = "x"', /SET/],
  ['SET @a = 1', /SET/],
  ['KILL 42', /KILL/],
  ['KILL QUERY 42', /KILL/],
  ["ADMIN SET FRONTEND CONFIG ('lake_compaction_max_tasks' = '0')", /ADMIN/],
  ["ADMIN SET REPLICA STATUS PROPERTIES ('tablet_id' = '1', 'status' = 'bad')", /ADMIN/],
  ['ADMIN REPAIR TABLE sales.orders', /ADMIN/],
  ['ADMIN CANCEL REPAIR TABLE sales.orders', /ADMIN/],
  ["INSTALL PLUGIN FROM '/tmp/evil.zip'", /PLUGIN/],
  ['UNINSTALL PLUGIN audit', /PLUGIN/],
  ['GRANT ALL ON *.* TO mallory', /privileges/],
  ['REVOKE SELECT ON *.* FROM alice', /privileges/],
  ['WITH x AS (DELETE FROM t) SELECT 1', /WITH clause/],
  ['WITH x AS (SELECT 1) DELETE FROM t', /WITH clause|not a read/],
  ['/*!50000 DROP TABLE t */ SELECT 1', /executable comments/],
  ['SELECT /*+ SET_VAR(query_timeout=1) */ 1', /hints/],
  ['SHOW BACKENDS /* ; DROP TABLE t */', /comments|multiple statements/],
  ['SHOW BACKENDS /* DROP TABLE t */', /comments/],
  ['SHOW BACKENDS -- DROP', /comments/],
  ['EXPLAIN DELETE FROM t', /EXPLAIN/],
  ['EXPLAIN ANALYZE INSERT INTO t SELECT 1', /EXPLAIN/],
  ['EXPLAIN VERBOSE INSERT INTO t SELECT 1', /not a read statement|EXPLAIN/],
  ['CALL p()', /not a read statement/],
  ['LOAD DATA INFILE "x" INTO TABLE t', /not a read statement/],
  ['CANCEL LOAD FROM sales WHERE LABEL = "x"', /not a read statement/],
  ['PAUSE ROUTINE LOAD FOR sales.kafka_orders', /not a read statement/],
  ['STOP ROUTINE LOAD FOR sales.kafka_orders', /not a read statement/],
  ['ALTER SYSTEM DROP BACKEND "10.0.1.14:9050"', /not a read statement/],
  ["SHOW PROC '/backends'; ADMIN SET FRONTEND CONFIG ('a' = 'b')", /multiple statements/],
  ['SHOW SOMETHING UNKNOWN', /allow-list/],
  ['sHoW bAcKeNdS extra', /allow-list/],
  ['', /empty/],
  ['   ;  ', /empty/],
  ['SELECT 1\0; DROP TABLE t', /NUL/],
  ['USE sales', /not a read statement/],
  ['DO SLEEP(1)', /not a read statement/],
  ['SUBMIT TASK AS INSERT INTO t SELECT 1', /not a read statement/],
  ['CREATE USER x IDENTIFIED BY "y"', /not a read statement/],
];

describe('sql guard', () => {
  it(`accepts ${ACCEPTED.length} read statements`, () => {
    expect(ACCEPTED.length).toBeGreaterThanOrEqual(20);
    for (const sql of ACCEPTED) {
      expect(() => guardReadStatement(sql, 100), sql).not.toThrow();
    }
  });

  it(`rejects ${REJECTED.length} bypass attempts with PERMISSION_DENIED and the reason`, () => {
    expect(REJECTED.length).toBeGreaterThanOrEqual(40);
    for (const [sql, reason] of REJECTED) {
      let error: unknown;
      try {
        guardReadStatement(sql, 100);
      } catch (e) {
        error = e;
      }
      expect(error, sql).toBeInstanceOf(OpsError);
      expect((error as OpsError).code, sql).toBe('PERMISSION_DENIED');
      expect((error as OpsError).message, sql).toMatch(reason);
    }
  });

  it('caps a bare SELECT on the server and leaves explicit limits alone', () => {
    expect(guardReadStatement('SELECT * FROM t;', 50).sql).toBe('SELECT * FROM t\nLIMIT 51');
    expect(guardReadStatement('SELECT * FROM t LIMIT 5', 50).sql).toBe('SELECT * FROM t LIMIT 5');
    expect(guardReadStatement('SHOW BACKENDS', 50)).toEqual({ sql: 'SHOW BACKENDS', kind: 'show' });
  });
});

describe('sqlString', async () => {
  const { sqlString } = await import('../src/executor.js');
  it('escapes quotes, backslashes and control characters', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b"c\n\0')).toBe("'a\\\\b\\\"c\\n\\0'");
  });
});
