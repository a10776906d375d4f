// The MySQL-only build of node-sql-parser has the same API as the package's main entry; its
// package exports no types for that path under NodeNext resolution.
declare module 'node-sql-parser/build/mysql' {
  export { Parser } from 'node-sql-parser';
}
