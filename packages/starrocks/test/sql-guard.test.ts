import { OpsError } from '@opsmcp/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { guardReadStatement, loadSqlParser, MAX_NESTING, MAX_TOKENS } from '../src/sql-guard.js';

beforeAll(loadSqlParser);

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

/** Ordinary diagnostic statements an earlier guard refused (false rejects), and other read-only StarRocks 3.x forms. */
const FORMERLY_REFUSED: string[] = [
  'SHOW RUNNING QUERIES',
  'SHOW RESOURCE GROUPS ALL',
  'SHOW STORAGE VOLUMES',
  'SHOW DYNAMIC PARTITION TABLES FROM sales',
  'SHOW COLUMNS FROM orders FROM sales',
  'SHOW PIPES',
  'SELECT DB_NAME, TABLE_NAME, MAX_CS, ROW_NUMBER() OVER (PARTITION BY DB_NAME ORDER BY MAX_CS DESC) AS rn FROM information_schema.partitions_meta QUALIFY rn <= 3',
  'SELECT id, tag FROM sales.orders, unnest(tags) AS u(tag)',
  'SELECT * FROM TABLE(generate_series(1, 10))',
  'SELECT [1, 2, 3] AS a',
  'SELECT array_length([1, 2, 3]) AS n, tags[1] FROM sales.orders',
  'SELECT * FROM TABLE(generate_series(1, 24)) AS g(h) WHERE h > 2',
  'SELECT id, t FROM sales.orders CROSS JOIN LATERAL unnest(tags) AS u(t)',
  'SHOW FULL COLUMNS FROM sales.orders',
  'SHOW RESOURCE GROUP rg_etl',
  "SHOW STORAGE VOLUMES LIKE 'builtin%'",
  'DESC STORAGE VOLUME builtin_storage_volume',
  "SHOW PIPES FROM sales WHERE NAME = 'p1'",
  'SHOW CATALOGS',
  'SHOW WAREHOUSES',
  'SHOW COMPUTE NODES',
  'SHOW FULL PROCESSLIST',
  'SHOW TABLE STATUS FROM sales',
  'SHOW INDEX FROM orders FROM sales',
  'SHOW ANALYZE STATUS',
  'SHOW DATA DISTRIBUTION FROM sales.orders',
  'SHOW CREATE CATALOG hive_catalog',
  'SHOW BACKEND BLACKLIST',
  'SHOW GRANTS',
  'SELECT 1 -- a comment with a space\n',
  "SELECT 'it''s', \"dq\", '\\\\' AS backslash",
  'SELECT * FROM t WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) AND a = 1 AND b = 2 AND c = 3',
  // Qualified names in an arithmetic comparison (the storage expert's replica-lag query).
  'SELECT t.a, m.b FROM x t JOIN (SELECT a, MAX(v) AS b FROM x GROUP BY a) m ON m.a = t.a WHERE m.b - t.v > 5 ORDER BY m.b - t.v DESC LIMIT 50',
  'SELECT 1 + t.a + t.b FROM t',
  'SELECT a.b, c.d, e.f FROM a, c, e',
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
  // Hostile forms: files and URLs, hidden statements, executable comments, lexical differences.
  ["SELECT * FROM FILES('path' = 's3://bucket/x.parquet', 'format' = 'parquet')", /FILES\(\) reads files/],
  ["SELECT * FROM files ('path' = 'hdfs://x')", /FILES\(\) reads files/],
  ["SELECT * FROM TABLE(files('path' = 's3://x'))", /table function FILES/],
  ["SELECT * FROM TABLE(read_url('http://x'))", /table function READ_URL/],
  ["SELECT load_file('/etc/passwd')", /LOAD_FILE\(\) reads files/],
  ["SELECT * FROM (SELECT 1) t, unnest(split('a,b', ',')) u(x) INTO OUTFILE 's3://x'", /OUTFILE/],
  ['SELECT [1, 2] INTO @a', /variable/],
  ['SELECT 1 QUALIFY 1 = 1 FOR UPDATE', /FOR UPDATE/],
  ['EXPLAIN VERBOSE EXPLAIN VERBOSE EXPLAIN VERBOSE SELECT 1', /EXPLAIN is allowed only for a SELECT/],
  ['EXPLAIN VERBOSE SELECT 1; DROP TABLE t', /2 statements/],
  ['EXPLAIN COSTS DELETE FROM t', /EXPLAIN/],
  ['EXPLAIN LOGICAL SHOW BACKENDS', /EXPLAIN/],
  ['SELECT 1 /* ; */; DROP TABLE t', /2 statements/],
  ["SELECT '\\\\'; DROP TABLE t; -- '", /2 statements/],
  ["SELECT 'a\\'; DROP TABLE t; -- '", /backslash before a quote/],
  ['SELECT 1 #; DROP TABLE t', /# comments/],
  ['SELECT 1 --; DROP TABLE t', /'--' must be followed by a space/],
  ['SELECT 1 -- hidden\n; DROP TABLE t', /2 statements/],
  ['/*!50000 SELECT */ 1', /executable comments/],
  ['SELECT 1 /*! ; DROP TABLE t */', /executable comments/],
  ['SELECT 1 /*+ SET_VAR(query_timeout = 1) */', /hints/],
  ["SELECT 'unterminated", /unterminated string/],
  ['SELECT 1 /* unterminated', /unterminated comment/],
  ['SELECT `unterminated', /unterminated quoted identifier/],
  ['SHOW RUNNING QUERIES; KILL 1', /multiple statements/],
  ['SHOW PIPES /* x */', /comments/],
  ['SET SESSION query_timeout = 1', /SET/],
  ['WITH a AS (SELECT 1) SELECT * FROM a INTO OUTFILE "/tmp/x"', /OUTFILE/],
  ['SELECT * FROM t UNION SELECT * FROM u FOR UPDATE', /FOR UPDATE/],
  ['(SELECT 1) UNION (SELECT a INTO @x FROM t)', /variable/],
];

describe('sql guard', () => {
  it(`accepts ${ACCEPTED.length} read statements`, () => {
    expect(ACCEPTED.length).toBeGreaterThanOrEqual(20);
    for (const sql of ACCEPTED) {
      expect(() => guardReadStatement(sql, 100), sql).not.toThrow();
    }
  });

  it(`accepts the ${FORMERLY_REFUSED.length} ordinary diagnostic statements an earlier guard refused (item: false rejects)`, () => {
    const refused: string[] = [];
    for (const sql of FORMERLY_REFUSED) {
      try {
        guardReadStatement(sql, 100);
      } catch (error) {
        refused.push(`${sql} -> ${(error as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
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
    expect(guardReadStatement('SELECT * FROM t;', 50)).toMatchObject({
      sql: 'SELECT * FROM t\nLIMIT 51',
      checked: 'SELECT * FROM t',
    });
    expect(guardReadStatement('SELECT * FROM t LIMIT 5', 50).sql).toBe('SELECT * FROM t LIMIT 5');
    expect(guardReadStatement('SHOW BACKENDS', 50)).toEqual({
      sql: 'SHOW BACKENDS',
      checked: 'SHOW BACKENDS',
      kind: 'show',
    });
    expect(guardReadStatement('SELECT 1 -- note\n', 50).sql).toBe('SELECT 1 -- note\nLIMIT 51');
    expect(guardReadStatement('EXPLAIN VERBOSE SELECT * FROM t', 50)).toEqual({
      sql: 'EXPLAIN VERBOSE SELECT * FROM t',
      checked: 'EXPLAIN VERBOSE SELECT * FROM t',
      kind: 'explain',
    });
  });
});

/** A statement of about `length` characters: `prefix`, then `unit` repeated, then `suffix`. */
const repeated = (length: number, prefix: string, unit: string, suffix = '') =>
  prefix + unit.repeat(Math.max(0, Math.floor((length - prefix.length - suffix.length) / unit.length))) + suffix;

const invalidArgument = (sql: string, options?: { maxChars?: number }) => {
  try {
    guardReadStatement(sql, 100, options);
  } catch (error) {
    return error as OpsError;
  }
  throw new Error('expected a refusal');
};

describe('item 6: sql guard cost', () => {
  it('item 6: a statement longer than maxChars (SR_READ_QUERY_MAX_CHARS, default 20,000) is INVALID_ARGUMENT before parsing', () => {
    const long = `SELECT 1${' + 1'.repeat(5_000)}`;
    expect(long.length).toBeGreaterThan(20_000);
    const error = invalidArgument(long);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/at most 20000/);
    expect(invalidArgument('SELECT 12345', { maxChars: 10 }).message).toMatch(/12 characters.*at most 10/);
    expect(() => guardReadStatement(repeated(30_000, 'SELECT 1', ' + 1'), 100, { maxChars: 40_000 })).not.toThrow();
  });

  it(`item 6: nesting deeper than ${MAX_NESTING} levels is INVALID_ARGUMENT`, () => {
    const deep = `SELECT ${'('.repeat(MAX_NESTING + 1)}1${')'.repeat(MAX_NESTING + 1)}`;
    expect(invalidArgument(deep).code).toBe('INVALID_ARGUMENT');
    const arrays = `SELECT ${'['.repeat(MAX_NESTING + 1)}1${']'.repeat(MAX_NESTING + 1)}`;
    expect(invalidArgument(arrays).code).toBe('INVALID_ARGUMENT');
    expect(() => guardReadStatement(`SELECT ${'('.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)}`, 100)).not.toThrow();
    // Parentheses inside strings and comments are text, not nesting.
    expect(() => guardReadStatement(`SELECT '${'('.repeat(100)}' /* ${'('.repeat(100)} */`, 100)).not.toThrow();
  });

  it('item 6: the worst cases at the length cap each take well under 200 ms (an EXPLAIN VERBOSE chain is read once)', () => {
    const worst: Record<string, string> = {
      'EXPLAIN VERBOSE chain': repeated(20_000, '', 'EXPLAIN VERBOSE ', 'SELECT 1'),
      'IN list': repeated(20_000, 'SELECT * FROM t WHERE a IN (1', ', 1', ')'),
      'column list': repeated(20_000, 'SELECT a', ', a', ' FROM t'),
      'AND chain': repeated(20_000, 'SELECT * FROM t WHERE a = 1', ' AND a = 1'),
      sum: repeated(20_000, 'SELECT 1', ' + 1'),
      'array literals': repeated(20_000, 'SELECT [1', ', [1]', ']'),
      'nested subqueries': `SELECT ${'(SELECT '.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)}`,
      'CASE at the token cap': repeated(MAX_TOKENS * 3, 'SELECT CASE', ' WHEN a = 1 THEN 2', ' END FROM t'),
      'UNION at the token cap': repeated(MAX_TOKENS * 4, 'SELECT 1', ' UNION SELECT 1'),
      'calls at the token cap': repeated(MAX_TOKENS, 'SELECT f(1', ', f(1)', ')'),
      'string literal': `SELECT '${'x'.repeat(19_980)}'`,
      'unknown SHOW': repeated(20_000, 'SHOW', ' BACKENDS'),
    };
    // Warm the parser once (loading it is not part of a check's cost).
    guardReadStatement('SELECT 1', 10);
    const slow: string[] = [];
    for (const [name, sql] of Object.entries(worst)) {
      expect(sql.length, name).toBeLessThanOrEqual(20_000);
      const started = performance.now();
      try {
        guardReadStatement(sql, 100);
      } catch (error) {
        expect(['PERMISSION_DENIED', 'INVALID_ARGUMENT'], name).toContain((error as OpsError).code);
      }
      const ms = performance.now() - started;
      if (process.env.GUARD_TIMINGS) console.error(`${name}: ${ms.toFixed(1)} ms`);
      if (ms >= 200) slow.push(`${name}: ${ms.toFixed(0)} ms`);
    }
    expect(slow).toEqual([]);
  });

  it('item 6: a statement too complex to check within the bound is INVALID_ARGUMENT, not a slow parse', () => {
    const error = invalidArgument(repeated(20_000, 'SELECT [1', ', [1]', ']'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/too complex/);
  });
});

describe('sqlString', async () => {
  const { sqlString } = await import('../src/executor.js');
  it('escapes quotes, backslashes and control characters', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b"c\n\0')).toBe("'a\\\\b\\\"c\\n\\0'");
  });
});
