/** knex's PostgreSQL dialect, extended by src/db/pg-client.ts (knex ships no types for it). */
declare module 'knex/lib/dialects/postgres/index.js' {
  import type { Knex } from 'knex';
  const PgClient: typeof Knex.Client;
  export default PgClient;
}
