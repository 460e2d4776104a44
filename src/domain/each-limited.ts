/**
 * Runs `fn` over `items` with at most `limit` calls in flight and resolves with the results in
 * item order. The first failure stops new calls and rejects once the ones in flight settle, so
 * a run that cannot finish does not keep a remote system busy. Connectors use it for per-device
 * sub-queries (a device's IPs, ports), which a remote answers one device at a time.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { err: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failed === null && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== null) throw (failed as { err: unknown }).err;
  return results;
}
