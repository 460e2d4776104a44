/**
 * The one heartbeat of long work: renews whatever says "still working on it" in the database
 * (a run row's `heartbeat_at`, a job's or a connector configuration's lease) every `everyMs`
 * until stopped. Several renewals may share one beat (a scheduled connector run renews its run
 * row and its configuration's lease together). A beat never overlaps the previous one, and a
 * failed beat (the database busy) is left to the next: the lease is sized to outlast a few misses.
 * No imports: the plugin runner, the connector runs and the job runner all use it.
 */
export interface Heartbeat {
  stop(): void;
}

export function startHeartbeat(everyMs: number, ...renewals: (() => Promise<unknown>)[]): Heartbeat {
  let beating: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    beating ??= Promise.allSettled(renewals.map((renew) => renew())).finally(() => (beating = null));
  }, everyMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
  };
}
