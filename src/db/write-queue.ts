/** The tail of each pool's queue of writers (keyed by the knex client). */
const tails = new WeakMap<object, Promise<void>>();

/**
 * Runs fn once every writer queued before it on the same pool has finished: SQLite writers of
 * one process take the database's single write lock in arrival order. Only the head of the
 * queue polls for the lock (against other connections: an import worker, another instance), and
 * its wait for the lock starts when it gets there — as when writers queued for the pool's one
 * connection, but without holding that connection, so reads go past the queue.
 */
export async function inWriteQueue<T>(key: object, fn: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  tails.set(key, tail);
  await before;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
