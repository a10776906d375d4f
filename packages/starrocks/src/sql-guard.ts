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
  /** The statement as checked (trimmed, trailing semicolon removed), for a caller that bounds rows itself. */
  checked: string;
  kind: 'select' | 'show' | 'describe' | 'explain' | 'admin_show';
}

let parser: SqlParser | undefined;

/**
 * Loads the MySQL-only build of node-sql-parser, once, on the first read_query: the full package
 * costs ~170 ms and ~35 MiB at startup, and even the MySQL build is a third of a megabyte of
 * code, so it stays a module of its own that a server which never runs read_query never reads.
 * `guardReadStatement` needs it loaded.
 */
export async function loadSqlParser(): Promise<void> {
  if (parser) return;
  const loaded = (await import('node-sql-parser/build/mysql')) as {
    Parser?: new () => SqlParser;
    default?: { Parser: new () => SqlParser };
  };
  const Parser = loaded.Parser ?? loaded.default?.Parser;
  if (!Parser) throw new OpsError('INTERNAL', 'The SQL parser could not be loaded.');
  parser = new Parser();
}

function sqlParser(): SqlParser {
  if (!parser) throw new OpsError('INTERNAL', 'The SQL guard was used before loadSqlParser() finished.');
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
    new RegExp(
      '^SHOW (?:BACKENDS|FRONTENDS|COMPUTE NODES|BROKER|CATALOGS|RESOURCES|WAREHOUSES|RESOURCE GROUPS(?: ALL)?|' +
        'RESOURCE GROUP USAGE|RUNNING QUERIES|(?:FULL )?PROCESSLIST|ROLES|USERS|CHARSET|COLLATION|ENGINES|PLUGINS|' +
        'AUTHORS|FILE|REPOSITORIES|SNAPSHOT ON \\w+|BACKEND BLACKLIST|SQLBLACKLIST|PROFILELIST|WARNINGS|ERRORS|' +
        'PRIVILEGES|DATACACHE RULES|ANALYZE STATUS|ANALYZE JOB|STATS META|HISTOGRAM META|AUTHENTICATION|' +
        `(?:ALL )?GRANTS|PROPERTY|NODES|STORAGE VOLUMES${LIKE})$`,
      'i',
    ),
    'show',
  ],
  [new RegExp(`^SHOW (?:RESOURCE GROUP|CREATE CATALOG|CREATE EXTERNAL CATALOG) ${IDENT}$`, 'i'), 'show'],
  [new RegExp(`^(?:DESC|DESCRIBE) STORAGE VOLUME ${IDENT}$`, 'i'), 'describe'],
  [/^SHOW PROC '\/[A-Za-z0-9_./-]*'$/i, 'show'],
  [new RegExp(`^SHOW (?:GLOBAL |SESSION )?(?:VARIABLES|STATUS)${LIKE}$`, 'i'), 'show'],
  [
    new RegExp(
      `^SHOW (?:FULL )?(?:TABLES|TABLE STATUS|MATERIALIZED VIEWS|FUNCTIONS|VIEWS|GLOBAL FUNCTIONS|BUILTIN FUNCTIONS)${FROM_DB}${LIKE}$`,
      'i',
    ),
    'show',
  ],
  [new RegExp(`^SHOW (?:FULL )?(?:COLUMNS|FIELDS) (?:FROM|IN) ${QUALIFIED}${FROM_DB}${LIKE}$`, 'i'), 'show'],
  [new RegExp(`^SHOW (?:INDEX|INDEXES|KEYS) (?:FROM|IN) ${QUALIFIED}${FROM_DB}$`, 'i'), 'show'],
  [new RegExp(`^SHOW DYNAMIC PARTITION TABLES${FROM_DB}$`, 'i'), 'show'],
  [new RegExp(`^SHOW PIPES${FROM_DB}${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [new RegExp(`^SHOW CREATE PIPE ${QUALIFIED}$`, 'i'), 'show'],
  [
    new RegExp(`^SHOW (?:ALL )?ROUTINE LOAD(?: FOR ${QUALIFIED}| FROM ${IDENT})?${WHERE}${ORDER}${LIMIT}$`, 'i'),
    'show',
  ],
  [new RegExp(`^SHOW ROUTINE LOAD TASK${FROM_DB} WHERE JobName ?= ?${STR}$`, 'i'), 'show'],
  [new RegExp(`^SHOW (?:ALL )?STREAM LOAD(?: FOR ${QUALIFIED}| FROM ${IDENT})?${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [new RegExp(`^SHOW LOAD${FROM_DB}${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [
    new RegExp(
      `^SHOW (?:EXPORT|ALTER TABLE (?:COLUMN|ROLLUP|MATERIALIZED VIEW|OPTIMIZE)|BACKUP|RESTORE|DELETE)${FROM_DB}${WHERE}${ORDER}${LIMIT}$`,
      'i',
    ),
    'show',
  ],
  [new RegExp(`^SHOW TABLET (?:\\d+|FROM ${QUALIFIED}${PARTITION}${WHERE}${ORDER}${LIMIT})$`, 'i'), 'show'],
  [new RegExp(`^SHOW (?:TEMPORARY )?PARTITIONS FROM ${QUALIFIED}${WHERE}${ORDER}${LIMIT}$`, 'i'), 'show'],
  [new RegExp(`^SHOW DATA(?: FROM ${QUALIFIED})?$`, 'i'), 'show'],
  [new RegExp(`^SHOW DATA DISTRIBUTION FROM ${QUALIFIED}${PARTITION}$`, 'i'), 'show'],
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

/** Functions that read files, object storage or URLs; refused anywhere in a statement. */
const FILE_READERS = new Set(['files', 'load_file']);

/** Calls of FILE_READERS anywhere in the tree. */
function findFileReader(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findFileReader(child);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Node;
  if (n.type === 'function') {
    const parts = ((n.name as Node | undefined)?.name ?? []) as { value?: unknown }[];
    const name = String(parts[parts.length - 1]?.value ?? '').toLowerCase();
    if (FILE_READERS.has(name)) return name.toUpperCase();
  }
  for (const value of Object.values(n)) {
    const found = findFileReader(value);
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

/** Deepest nesting of parentheses and brackets accepted: the parser recurses once per level. */
export const MAX_NESTING = 32;
/**
 * Most tokens the parser is given (after shortenLists): bounds the time a check can take whatever
 * the statement's shape. Real diagnostic queries stay far below it.
 */
export const MAX_TOKENS = 1_000;
/** Default for `maxChars` (SR_READ_QUERY_MAX_CHARS). */
export const DEFAULT_MAX_STATEMENT_CHARS = 20_000;

const SPACE = /\s+/y;
const WORD = /[A-Za-z_$\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /[0-9][0-9A-Za-z_.]*/y;
const SINGLE_QUOTED = /'(?:[^'\\]|\\[\s\S])*'/y;
const DOUBLE_QUOTED = /"(?:[^"\\]|\\[\s\S])*"/y;
const BACKQUOTED = /`[^`]*`/y;

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'comment' | 'space';
  text: string;
}

const tooBig = (message: string): never => {
  throw new OpsError('INVALID_ARGUMENT', message, { retryable: false });
};

/**
 * Splits a statement into tokens the way MySQL and StarRocks both read it: strings with backslash
 * escapes, backquoted identifiers, comments. Lexical forms the two engines read differently
 * (`#` comments, `--` without a following space) and executable comments are refused, so what
 * the parser checks is what the server runs. Linear in the statement's length.
 */
function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const n = statement.length;
  const take = (pattern: RegExp, kind: Token['kind']) => {
    pattern.lastIndex = i;
    const match = pattern.exec(statement);
    if (!match) return false;
    tokens.push({ kind, text: match[0] });
    i += match[0].length;
    return true;
  };
  while (i < n) {
    const c = statement[i] as string;
    const code = c.charCodeAt(0);
    if (code <= 32) {
      if (take(SPACE, 'space')) continue;
    } else if (code >= 48 && code <= 57) {
      if (take(NUMBER, 'number')) continue;
    } else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code >= 128) {
      // Like node-sql-parser, any character from U+0080 on may be part of a name.
      if (take(WORD, 'word')) continue;
    }
    if (c === "'" || c === '"') {
      if (!take(c === "'" ? SINGLE_QUOTED : DOUBLE_QUOTED, 'string')) deny('an unterminated string');
      // Where a string ends must not depend on the server's backslash mode (NO_BACKSLASH_ESCAPES).
      if (escapesQuote((tokens[tokens.length - 1] as Token).text)) {
        deny("a backslash before a quote inside a string is not accepted; write the quote twice ('')");
      }
    } else if (c === '`') {
      if (!take(BACKQUOTED, 'quoted')) deny('an unterminated quoted identifier');
    } else if (c === '/' && statement[i + 1] === '*') {
      if (statement[i + 2] === '!' || statement[i + 2] === '+') {
        deny('executable comments and hints (/*! … */, /*+ … */) are not accepted');
      }
      const end = statement.indexOf('*/', i + 2);
      if (end < 0) deny('an unterminated comment');
      tokens.push({ kind: 'comment', text: statement.slice(i, end + 2) });
      i = end + 2;
    } else if (c === '#') {
      deny('# comments are not accepted (StarRocks and MySQL read them differently); use /* … */');
    } else if (c === '-' && statement[i + 1] === '-') {
      if (!/\s/.test(statement[i + 2] ?? ' ')) {
        deny("'--' must be followed by a space (StarRocks reads it as a comment, MySQL as two minus signs)");
      }
      const end = statement.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      tokens.push({ kind: 'comment', text: statement.slice(i, stop) });
      i = stop;
    } else {
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      if (depth > MAX_NESTING) tooBig(`The statement nests parentheses or brackets deeper than ${MAX_NESTING} levels`);
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}

/** Whether a string literal contains a backslash-escaped quote (of either kind). */
function escapesQuote(literal: string): boolean {
  for (let i = 1; i < literal.length - 1; i++) {
    if (literal[i] !== '\\') continue;
    const next = literal[i + 1];
    if (next === "'" || next === '"') return true;
    i++;
  }
  return false;
}

const isWord = (t: Token | undefined, ...words: string[]) => t?.kind === 'word' && words.includes(t.text.toUpperCase());

/** StarRocks table functions that only compute values; FILES() and the like read data from outside. */
const TABLE_FUNCTIONS = new Set(['unnest', 'generate_series', 'json_each', 'subdivide_bitmap']);
/** Words after which `[` starts an array literal rather than a subscript. */
const BEFORE_ARRAY = new Set(
  'SELECT WHERE AND OR NOT WHEN THEN ELSE ON BY IN IS LIKE HAVING QUALIFY DISTINCT ALL ANY SOME CASE BETWEEN RETURN AS'.split(
    ' ',
  ),
);

/**
 * The statement in a form node-sql-parser reads, for checking only (the original is what runs):
 * StarRocks' array literals and subscripts become calls, QUALIFY becomes HAVING (the same place in
 * the grammar), and the allowed table functions (`TABLE(generate_series(…))`, `unnest(…)` in FROM,
 * LATERAL) become derived tables. A table function outside the allow-list is refused.
 */
function parsableForm(input: Token[]): string {
  const tokens = [...input];
  const out: string[] = [];
  let previous: Token | undefined;
  /** Index of the last token of a rewritten table function: an alias with a column list may follow. */
  let aliasAfter = -1;
  const next = (from: number) => {
    for (let j = from; j < tokens.length; j++) {
      const t = tokens[j] as Token;
      if (t.kind !== 'space' && t.kind !== 'comment') return j;
    }
    return -1;
  };
  /** The index of the parenthesis closing the one at `open`. */
  const closing = (open: number) => {
    let depth = 0;
    for (let j = open; j < tokens.length; j++) {
      const t = (tokens[j] as Token).text;
      if (t === '(') depth++;
      else if (t === ')' && --depth === 0) return j;
    }
    return tokens.length - 1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    let text = token.text;
    const following = next(i + 1);
    const call = following >= 0 && tokens[following]?.text === '(';
    if (token.kind === 'word') {
      const upper = text.toUpperCase();
      const lower = text.toLowerCase();
      if (upper === 'QUALIFY') text = 'HAVING';
      else if (upper === 'FILES' || upper === 'LOAD_FILE') {
        if (call) deny(`${upper}() reads files or object storage`);
      } else if (upper === 'TABLE' && call) {
        const fn = next(following + 1);
        const name = fn >= 0 && tokens[fn]?.kind === 'word' ? (tokens[fn] as Token).text.toLowerCase() : '';
        if (!TABLE_FUNCTIONS.has(name)) deny(`the table function ${name.toUpperCase() || '(unknown)'} is not accepted`);
        text = '';
        aliasAfter = closing(following);
        tokens[following] = { kind: 'punct', text: '(SELECT ' };
      } else if (
        upper === 'LATERAL' &&
        following >= 0 &&
        TABLE_FUNCTIONS.has(String(tokens[following]?.text).toLowerCase())
      ) {
        text = '';
      } else if (
        call &&
        TABLE_FUNCTIONS.has(lower) &&
        (previous?.text === ',' || isWord(previous, 'FROM', 'JOIN', 'LATERAL'))
      ) {
        text = `(SELECT ${text}`;
        aliasAfter = closing(following);
        // The call's closing parenthesis also closes the derived table.
        tokens[aliasAfter] = { kind: 'punct', text: '))' };
      } else if (call && aliasAfter >= 0 && i > aliasAfter && upper !== 'AS') {
        // `AS u(x, y)` right after a table function: the column list of its alias.
        const between = tokens.slice(aliasAfter + 1, i).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
        if (between.length === 0 || (between.length === 1 && isWord(between[0], 'AS'))) {
          out.push(text);
          previous = token;
          i = closing(following);
          aliasAfter = -1;
          continue;
        }
      }
    } else if (token.text === '[') {
      const subscript =
        previous !== undefined &&
        ((previous.kind === 'word' && !BEFORE_ARRAY.has(previous.text.toUpperCase())) ||
          previous.kind === 'quoted' ||
          previous.text === ')' ||
          previous.text === '))' ||
          previous.text === ']');
      text = subscript ? ' + __subscript(' : ' __array(';
    } else if (token.text === ']') {
      text = ')';
    } else if (token.kind === 'string') {
      // A literal's content is data: the parser needs only to see a literal there.
      text = `${token.text[0]}s${token.text[0]}`;
    }
    out.push(text);
    if (token.kind !== 'space' && token.kind !== 'comment') previous = tokens[i];
  }
  return out.join('');
}

/** Reserved words: never treated as names when shortening lists (see shortenLists). */
const RESERVED = new Set(
  (
    'ADD ALL ALTER ANALYZE AND ANY ARRAY AS ASC BETWEEN BIGINT BINARY BOOLEAN BOTH BY CALL CASE CAST CHAR ' +
    'CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT CONVERT CREATE CROSS CUBE CURRENT_DATE CURRENT_TIME ' +
    'CURRENT_TIMESTAMP CURRENT_USER DATABASE DATABASES DATE DATETIME DAY DECIMAL DEFAULT DELETE DESC DESCRIBE ' +
    'DISTINCT DISTINCTROW DIV DOUBLE DROP DUAL DUMPFILE ELSE ELSEIF END ESCAPE EXCEPT EXISTS EXPLAIN FALSE ' +
    'FETCH FILES FIRST FLOAT FOR FORCE FROM FULL GRANT GROUP GROUPING HAVING HOUR IF IGNORE IN INDEX INNER ' +
    'INSERT INT INTEGER INTERSECT INTERVAL INTO IS JOIN KEY KILL LAST LATERAL LEADING LEFT LIKE LIMIT LOAD ' +
    'LOCK MAP MINUS MINUTE MOD MODE MONTH NATURAL NOT NULL OF OFFSET ON OR ORDER OUTER OUTFILE OVER PARTITION ' +
    'PRECEDING QUALIFY RANGE REGEXP RENAME REPLACE RETURN REVOKE RIGHT RLIKE ROLLUP ROW ROWS SECOND SELECT ' +
    'SET SHARE SHOW SMALLINT SOME STRUCT TABLE THEN TIME TIMESTAMP TINYINT TO TRAILING TRUE UNBOUNDED UNION ' +
    'UNIQUE UNNEST UPDATE USE USING VALUES VARCHAR WHEN WHERE WINDOW WITH XOR YEAR'
  ).split(' '),
);
/** Operators a shortened list may span: they combine values and never change what a statement does. */
const LIST_OPERATORS = new Set([',', '+', '-', '*', '/', '%', '=', '<', '>', '.', '|', '&', '^']);

/**
 * Long flat lists (`IN (1, 2, …)`, wide column lists, long sums) cost node-sql-parser time in
 * proportion to their length and say nothing about whether a statement writes: a run of three
 * or more names or literals joined by operators is checked as its first and last element, joined
 * by one of its operators. Reserved words, function names and `@variables` end a run.
 */
function shortenLists(tokens: Token[]): Token[] {
  const significant = (from: number) => {
    let j = from;
    while (j < tokens.length && (tokens[j]?.kind === 'space' || tokens[j]?.kind === 'comment')) j++;
    return j;
  };
  const isAtom = (j: number) => {
    const t = tokens[j];
    if (!t) return false;
    if (t.kind === 'number' || t.kind === 'string' || t.kind === 'quoted') return true;
    if (t.kind !== 'word' || RESERVED.has(t.text.toUpperCase())) return false;
    const before = tokens[j - 1]?.text;
    return tokens[significant(j + 1)]?.text !== '(' && before !== '@';
  };
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (!isAtom(i)) {
      out.push(token);
      continue;
    }
    let last = i;
    let firstOperator: number | undefined;
    let lastOperator: number | undefined;
    let atoms = 1;
    for (;;) {
      const op = significant(last + 1);
      const operator = tokens[op];
      const joins =
        (operator?.kind === 'punct' && LIST_OPERATORS.has(operator.text)) || isWord(operator, 'AND', 'OR', 'XOR');
      if (!joins) break;
      const atom = significant(op + 1);
      if (!isAtom(atom)) break;
      firstOperator ??= op;
      lastOperator = op;
      last = atom;
      atoms++;
    }
    if (atoms < 3 || firstOperator === undefined || lastOperator === undefined) {
      out.push(token);
      continue;
    }
    // The operator in front of the last element joins the two kept ones: `m.a - t.b > 5` is
    // checked as `m > 5`, not as the unparsable `m . 5`. A `.` after a literal is no name, so a
    // run that starts with one keeps its first operator instead.
    const joiner = tokens[lastOperator]?.text === '.' && token.kind !== 'word' && token.kind !== 'quoted';
    const operator = joiner ? firstOperator : lastOperator;
    out.push(token, { kind: 'space', text: ' ' }, tokens[operator] as Token, { kind: 'space', text: ' ' });
    out.push(tokens[last] as Token);
    i = last;
  }
  return out;
}

/** The guard's fixed bounds, for the benchmark and the README. */
export const SQL_GUARD_LIMITS = {
  defaultMaxChars: DEFAULT_MAX_STATEMENT_CHARS,
  maxTokens: MAX_TOKENS,
  maxNesting: MAX_NESTING,
} as const;

export interface GuardOptions {
  /** Longest statement accepted (characters); longer is INVALID_ARGUMENT before any parsing. */
  maxChars?: number;
}

const parse = (sql: string): unknown => {
  try {
    return sqlParser().astify(sql, { database: 'MySQL' });
  } catch {
    return undefined;
  }
};

/**
 * Accepts one read statement or throws PERMISSION_DENIED with the reason (INVALID_ARGUMENT when
 * it is too long or too deeply nested). `limit` caps a plain SELECT on the server (LIMIT limit+1 is
 * appended when it has none) so truncation can be seen. The statement is parsed at most once.
 */
export function guardReadStatement(input: string, limit: number, options: GuardOptions = {}): GuardedStatement {
  const maxChars = options.maxChars ?? DEFAULT_MAX_STATEMENT_CHARS;
  if (input.length > maxChars) {
    tooBig(`The statement has ${input.length} characters; read_query accepts at most ${maxChars}`);
  }
  if (input.includes('\0')) deny('NUL bytes are not allowed');
  const statement = input.trim().replace(/;\s*$/, '').trim();
  if (!statement) deny('the statement is empty');
  const tokens = tokenize(statement);
  const words = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  // The parser's time grows with the tokens it reads; long lists are shortened first (shortenLists).
  const checked = shortenLists(tokens);
  const size = checked.reduce((count, t) => (t.kind === 'space' || t.kind === 'comment' ? count : count + 1), 0);
  if (size > MAX_TOKENS) {
    tooBig(
      `The statement is too complex to check (${size} tokens after shortening lists of names and literals; at most ${MAX_TOKENS})`,
    );
  }

  // EXPLAIN [VERBOSE|COSTS|LOGICAL] once, in front of a SELECT: the rest is checked as a SELECT.
  let explain = false;
  let body = checked;
  if (isWord(words[0], 'EXPLAIN')) {
    explain = true;
    const modifier = isWord(words[1], 'VERBOSE', 'COSTS', 'LOGICAL') ? 1 : 0;
    const start = checked.indexOf(words[1 + modifier] as Token);
    body = start < 0 ? [] : checked.slice(start);
    const head = body.find((t) => t.kind !== 'space' && t.kind !== 'comment');
    if (!isWord(head, 'SELECT', 'WITH') && head?.text !== '(') deny('EXPLAIN is allowed only for a SELECT');
  }

  const ast = parse(parsableForm(body));
  if (ast !== undefined) {
    const list = (Array.isArray(ast) ? ast : [ast]) as Node[];
    if (list.length !== 1) deny(`${list.length} statements were sent; send exactly one`);
    const root = list[0] as Node;
    const kind = READ_TYPES[String(root.type)];
    if (!kind) deny(refusal(statement));
    if (explain && kind !== 'select') deny('EXPLAIN is allowed only for a SELECT');
    if (kind === 'explain' && (root.expr as Node | undefined)?.type !== 'select')
      deny('EXPLAIN is allowed only for a SELECT');
    const write = findWriteClause(root);
    if (write) deny(write);
    const reader = findFileReader(root);
    if (reader) deny(`${reader}() reads files or object storage`);
    if (explain) return { sql: statement, checked: statement, kind: 'explain' };
    const bareSelect = kind === 'select' && !root.limit && !root._next && !root.parentheses_symbol;
    return {
      sql: bareSelect ? `${statement}\nLIMIT ${limit + 1}` : statement,
      checked: statement,
      kind: kind as GuardedStatement['kind'],
    };
  }
  // The parser does not know the statement: only complete allow-listed StarRocks forms pass.
  // Comments and statement separators are not accepted here, since nothing parsed them.
  if (explain) deny('EXPLAIN is allowed only for a SELECT the SQL parser understands');
  if (words.some((t) => t.text === ';')) deny('multiple statements are not allowed');
  if (tokens.some((t) => t.kind === 'comment')) {
    deny('comments are only accepted in statements the SQL parser understands');
  }
  const compact = statement.replace(/\s+/g, ' ');
  for (const [pattern, kind] of STARROCKS_FORMS)
    if (pattern.test(compact)) return { sql: statement, checked: statement, kind };
  return deny(refusal(statement));
}
