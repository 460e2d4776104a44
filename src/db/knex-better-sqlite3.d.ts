/** knex's better-sqlite3 dialect, extended by src/db/sqlite-client.ts (knex ships no types for it). */
declare module 'knex/lib/dialects/better-sqlite3/index.js' {
  import type { Knex } from 'knex';
  const BetterSqlite3Client: typeof Knex.Client;
  export default BetterSqlite3Client;
}
