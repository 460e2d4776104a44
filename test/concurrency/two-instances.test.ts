/**
 * Two app instances on one database, the second in a process of its own (on SQLite one file):
 * the same races, spread over both. SQLite answered SQLITE_BUSY 500s here (deferred
 * transactions cannot wait for the lock upgrade); PostgreSQL lost writes and deadlocked.
 */
import { DIALECT } from '../helpers/db.js';
import { describeRaces } from './scenarios.js';

describeRaces(`concurrency, two instances on one database (${DIALECT})`, 2, 60);
