/** Parallel writes to one instance: no 5xx, exactly one winner of each create race, no lost write. */
import { DIALECT } from '../helpers/db.js';
import { describeRaces } from './scenarios.js';

describeRaces(`concurrency, one instance (${DIALECT})`, 1, 50);
