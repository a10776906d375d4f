// StarRocks: what read_query's SQL guard costs in the worst case. Every statement it checks is
// parsed once; the length (SR_READ_QUERY_MAX_CHARS) and the tokens given to the parser are
// capped, so the worst case is a statement at those caps. The guard runs on the event loop, so
// this is CPU time during which the server answers nothing else.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median } from '../lib/stats.mjs';

const MAX_CHARS = 20_000;

/** A statement of at most `length` characters: `prefix`, `unit` repeated, `suffix`. */
const repeated = (length, prefix, unit, suffix = '') =>
  prefix + unit.repeat(Math.max(0, Math.floor((length - prefix.length - suffix.length) / unit.length))) + suffix;

/** The longest statements accepted: real query shapes at the length cap. */
const LONGEST = {
  'IN list': repeated(MAX_CHARS, 'SELECT * FROM t WHERE id IN (1', ', 1', ')'),
  'column list': repeated(MAX_CHARS, 'SELECT a', ', a', ' FROM t'),
  'AND chain': repeated(MAX_CHARS, 'SELECT * FROM t WHERE a = 1', ' AND a = 1'),
  'string literal': `SELECT '${'x'.repeat(MAX_CHARS - 10)}'`,
  'EXPLAIN VERBOSE chain (refused)': repeated(MAX_CHARS, '', 'EXPLAIN VERBOSE ', 'SELECT 1'),
};

/** The most complex statements accepted: shapes that cannot be shortened, at the token cap. */
const complexAtCap = (maxTokens) => ({
  CASE: repeated(maxTokens * 3, 'SELECT CASE', ' WHEN a = 1 THEN 2', ' END FROM t'),
  UNION: repeated(maxTokens * 4, 'SELECT 1', ' UNION SELECT 1'),
  'function calls': repeated(maxTokens, 'SELECT f(1', ', f(1)', ')'),
});

export async function measureSqlGuard(server, { runs }) {
  const library = await import(pathToFileURL(join(dirname(server.bin), 'index.js')).href);
  const { guardReadStatement, loadSqlParser, SQL_GUARD_LIMITS } = library;
  await loadSqlParser();
  const time = (sql) => {
    const started = performance.now();
    let accepted = true;
    try {
      guardReadStatement(sql, 100);
    } catch {
      accepted = false;
    }
    return { ms: performance.now() - started, accepted };
  };
  // Loading the parser and the first compilation are start-up costs, not a check's.
  time('SELECT 1');
  const measure = (shapes) =>
    Object.fromEntries(
      Object.entries(shapes).map(([name, sql]) => {
        const first = time(sql);
        const times = [first.ms];
        for (let i = 1; i < runs; i++) times.push(time(sql).ms);
        return [
          name,
          {
            chars: sql.length,
            accepted: first.accepted,
            firstMs: Number(first.ms.toFixed(2)),
            p50Ms: Number(median(times).toFixed(2)),
            maxMs: Number(Math.max(...times).toFixed(2)),
          },
        ];
      }),
    );
  const longest = measure(LONGEST);
  const complex = measure(complexAtCap(SQL_GUARD_LIMITS.maxTokens));
  const worst = (shapes) => Math.max(...Object.values(shapes).map((s) => s.p50Ms));
  return {
    runs,
    maxChars: SQL_GUARD_LIMITS.defaultMaxChars,
    maxTokens: SQL_GUARD_LIMITS.maxTokens,
    maxNesting: SQL_GUARD_LIMITS.maxNesting,
    longest,
    complex,
    longestWorstP50Ms: worst(longest),
    complexWorstP50Ms: worst(complex),
  };
}
