import type { Knex } from 'knex';
import type request from 'supertest';

/**
 * Records the SQL statements a database runs while `counted` sends one request: each statement
 * is a round trip, so a test can hold a route to a fixed number of them. `stop()` detaches.
 */
export function statementCounter(db: Knex): { counted: (send: () => request.Test) => Promise<{ res: request.Response; sql: string[] }>; stop: () => void } {
  let statements: string[] = [];
  const record = (q: { sql: string }): void => void statements.push(q.sql);
  db.on('query', record);
  return {
    async counted(send) {
      statements = [];
      const res = await send();
      return { res, sql: statements };
    },
    stop: () => void db.removeListener('query', record),
  };
}
