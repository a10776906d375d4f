import { createRequire } from 'node:module';
import { OpsError } from '@opsmcp/core';
import type { Parser as SqlParser } from 'node-sql-parser';

/**
 * Decides whether `read_query` may run a statement. The decision comes from node-sql-parser
 * (MySQL dialect) for what it understands, and from an allow-list of complete StarRocks
 * SHOW / ADMIN SHOW forms for what it does not: never from searching for keywords.
 */

export interface GuardedStatement {
  /** The statement to send (trimmed, trailing semicolon removed, LIMIT added to a bare SELECT). */
  sql: string;
  kind: 'select' | 'show' | 'describe' | 'explain' | 'admin_show';
}

let parser: SqlParser | undefined;

/**
 * The MySQL-only build of node-sql-parser, loaded on the first read_query: the full package
 * costs ~170 ms and ~35 MiB at startup, the MySQL build a tenth of that when needed.
 */
function sqlParser(): SqlParser {
  if (!parser) {
    const { Parser } = createRequire(import.meta.url)('node-sql-parser/build/mysql') as {
      Parser: new () => SqlParser;
    };
    parser = new Parser();
  }
  return parser;
}

const deny = (reason: string): never => {
  throw new OpsError('PERMISSION_DENIED', `read_query only runs one read-only statement: ${reason}`, {
    hint: 'Use SELECT, WITH … SELECT, SHOW, DESCRIBE, EXPLAIN or ADMIN SHOW, one statement, without INTO, locking or SET.',
    retryable: false,
  });
};

const IDENT = '`?[A-Za-z_][A-Za-z0-9_$]*`?';
const QUALIFIED = `${IDENT}(?:\\.${IDENT})?`;
const STR = `(?:'[^'\\\\;]*'|"[^"\\\\;]*")`;
const LIKE = `(?: LIKE ${STR})?`;
const FROM_DB = `(?: (?:FROM|IN) ${IDENT})?`;
const CONDITION = `(?:${IDENT}) ?(?:=|!=|<>|LIKE) ?(?:${STR}|\\d+)`;
const WHERE = `(?: WHERE ${CONDITION}(?: AND ${CONDITION})*)?`;
const ORDER = `(?: ORDER BY ${IDENT}(?: (?:ASC|DESC))?(?:, ${IDENT}(?: (?:ASC|DESC))?)*)?`;
const LIMIT = '(?: LIMIT \\d+(?:, ?\\d+)?)?';
const PARTITION = `(?: PARTITION ?\\(${IDENT}(?:, ?${IDENT})*\\))?`;

/** Complete StarRocks read statements the MySQL grammar does not know, as whole-statement patterns. */
const STARROCKS_FORMS: [RegExp, GuardedStatement['kind']][] = [
  [
    /^SHOW (?:BACKENDS|FRONTENDS|COMPUTE NODES|BROKER|CATALOGS|RESOURCES|WAREHOUSES|RESOURCE GROUPS|(?:FULL )?PROCESSLIST|ROLES|USERS|CHARSET|COLLATION|ENGINES|PLUGINS|AUTHORS|FILE|REPOSITORIES|SNAPSHOT ON \w+)$/i,
    'show',
  ],
  [/^SHOW PROC '\/[A-Za-z0-9_./-]*'$/i, 'show'],
  [new RegExp(`^SHOW (?:GLOBAL |SESSION )?(?:VARIABLES|STATUS)${LIKE}$`, 'i'), 'show'],
  [
    new RegExp(`^SHOW (?:FULL )?(?:TABLES|TABLE STATUS|MATERIALIZED VIEWS|FUNCTIONS|VIEWS)${FROM_DB}${LIKE}$`, 'i'),
    'show',
  ],
  [
    new RegExp(`^SHOW (?:ALL )?ROUTINE LOAD(?: FOR ${QUALIFIED}| FROM ${IDENT})?${WHERE}${ORDER}${LIMIT}$`, 'i'),
    'show',
  ],
  [new RegExp(`^SHOW ROUTINE LOAD TASK${FROM_DB} WHERE JobName ?= ?${STR}$`, 'i'), 'show'],
  [new RegExp(`^SHOW (?:ALL )?STREAM LOAD(?: FOR ${QUALIFIED}| FROM ${IDENT})?${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [new RegExp(`^SHOW LOAD${FROM_DB}${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [
    new RegExp(
      `^SHOW (?:EXPORT|ALTER TABLE (?:COLUMN|ROLLUP|MATERIALIZED VIEW)|BACKUP|RESTORE|DELETE)${FROM_DB}${WHERE}${ORDER}${LIMIT}$`,
      'i',
    ),
    'show',
  ],
  [new RegExp(`^SHOW TABLET (?:\\d+|FROM ${QUALIFIED}${PARTITION}${WHERE}${ORDER}${LIMIT})$`, 'i'), 'show'],
  [new RegExp(`^SHOW (?:TEMPORARY )?PARTITIONS FROM ${QUALIFIED}${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [new RegExp(`^SHOW DATA(?: FROM ${QUALIFIED})?$`, 'i'), 'show'],
  [new RegExp(`^SHOW TRANSACTION${FROM_DB} WHERE ID ?= ?\\d+$`, 'i'), 'show'],
  [new RegExp(`^SHOW CREATE (?:TABLE|VIEW|MATERIALIZED VIEW|DATABASE|ROUTINE LOAD) ${QUALIFIED}$`, 'i'), 'show'],
  [new RegExp(`^(?:DESC|DESCRIBE) ${QUALIFIED}(?: ALL)?$`, 'i'), 'describe'],
  [new RegExp(`^ADMIN SHOW (?:FRONTEND )?CONFIG${LIKE}$`, 'i'), 'admin_show'],
  [
    new RegExp(
      `^ADMIN SHOW REPLICA (?:STATUS|DISTRIBUTION) FROM ${QUALIFIED}${PARTITION}(?: WHERE STATUS ?(?:=|!=) ?${STR})?$`,
      'i',
    ),
    'admin_show',
  ],
];

/** Why a statement is refused, for the message (the decision itself was already made). */
function refusal(statement: string): string {
  const first = /^[(\s]*([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(statement);
  const word = (first?.[1] ?? '').toUpperCase();
  const second = (first?.[2] ?? '').toUpperCase();
  if (word === 'SET') return 'SET changes session or global state';
  if (word === 'KILL') return 'KILL stops other sessions';
  if (word === 'GRANT' || word === 'REVOKE') return `${word} changes privileges`;
  if (word === 'INSTALL' || word === 'UNINSTALL') return `${word} PLUGIN loads code into the FE`;
  if (word === 'ADMIN') return `ADMIN ${second || ''} is an administrative command; only ADMIN SHOW is read-only`;
  if (word === 'WITH') return 'a WITH clause must wrap a plain SELECT';
  if (word === 'EXPLAIN' || word === 'DESC' || word === 'DESCRIBE') return `${word} is allowed only for a SELECT`;
  if (word === 'SHOW') return 'this SHOW form is not on the allow-list of read-only StarRocks statements';
  return `${word || 'this statement'} is not a read statement`;
}

type Node = Record<string, unknown>;

/** INTO OUTFILE / DUMPFILE / @var and locking reads anywhere in the tree (unions, subqueries). */
function findWriteClause(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findWriteClause(child);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Node;
  const into = n.into as Node | undefined;
  if (into && typeof into === 'object' && (into.position || into.keyword)) {
    const keyword = String(into.keyword ?? '').toUpperCase();
    return keyword === 'VAR'
      ? 'SELECT … INTO @variable writes session variables'
      : `INTO ${keyword || 'a target'} writes files`;
  }
  if (n.locking_read) return `${String(n.locking_read).toUpperCase()} takes locks`;
  for (const value of Object.values(n)) {
    const found = findWriteClause(value);
    if (found) return found;
  }
  return undefined;
}

const READ_TYPES: Record<string, GuardedStatement['kind']> = {
  select: 'select',
  show: 'show',
  desc: 'describe',
  explain: 'explain',
};

/**
 * Accepts one read statement or throws PERMISSION_DENIED with the reason. `limit` caps a plain
 * SELECT on the server (LIMIT limit+1 is appended when it has none) so truncation can be seen.
 */
export function guardReadStatement(input: string, limit: number): GuardedStatement {
  if (input.includes('\0')) deny('NUL bytes are not allowed');
  const statement = input.trim().replace(/;\s*$/, '').trim();
  if (!statement) deny('the statement is empty');
  // MySQL-style executable comments run their content; StarRocks hints are not needed here.
  if (/\/\*[!+]/.test(statement)) deny('executable comments and hints (/*! … */, /*+ … */) are not accepted');
  let ast: unknown;
  try {
    ast = sqlParser().astify(statement, { database: 'MySQL' });
  } catch {
    ast = undefined;
  }
  if (ast !== undefined) {
    const list = (Array.isArray(ast) ? ast : [ast]) as Node[];
    if (list.length !== 1) deny(`${list.length} statements were sent; send exactly one`);
    const root = list[0] as Node;
    const type = String(root.type);
    const kind = READ_TYPES[type];
    if (!kind) deny(refusal(statement));
    const write = findWriteClause(root);
    if (write) deny(write);
    if (kind === 'explain' && (root.expr as Node | undefined)?.type !== 'select')
      deny('EXPLAIN is allowed only for a SELECT');
    const bareSelect = kind === 'select' && !root.limit && !root._next && !root.parentheses_symbol;
    return { sql: bareSelect ? `${statement}\nLIMIT ${limit + 1}` : statement, kind: kind as GuardedStatement['kind'] };
  }
  // The parser does not know the statement: only complete allow-listed StarRocks forms pass.
  // Comments and statement separators are not accepted here, since nothing parsed them.
  if (/;/.test(statement)) deny('multiple statements are not allowed');
  if (/--|#|\/\*/.test(statement)) deny('comments are only accepted in statements the SQL parser understands');
  const compact = statement.replace(/\s+/g, ' ');
  const explained = /^EXPLAIN (?:VERBOSE|COSTS|LOGICAL) (.+)$/i.exec(compact);
  if (explained) {
    const inner = guardReadStatement(explained[1] ?? '', limit);
    if (inner.kind !== 'select') deny('EXPLAIN is allowed only for a SELECT');
    return { sql: statement, kind: 'explain' };
  }
  for (const [pattern, kind] of STARROCKS_FORMS) if (pattern.test(compact)) return { sql: statement, kind };
  return deny(refusal(statement));
}
