import { RunInterruptedError } from './errors.js';

/**
 * The runs this process is working on, so a shutdown can wait for them and, when its grace period
 * is over, interrupt them (an interrupted apply rolls back; its run is marked interrupted).
 */
const active = new Set<AbortController>();
let idle: (() => void)[] = [];

/** Registers a run; `done` must be called when it ends. Its signal also follows `parent`. */
export function trackRun(parent?: AbortSignal): { signal: AbortSignal; done: () => void } {
  const own = new AbortController();
  active.add(own);
  // By hand rather than AbortSignal.any (Node 20.3+; the engines field allows any Node 20).
  const follow = (): void => own.abort(parent!.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  return {
    signal: own.signal,
    done: () => {
      parent?.removeEventListener('abort', follow);
      active.delete(own);
      if (active.size > 0) return;
      const waiting = idle;
      idle = [];
      for (const w of waiting) w();
    },
  };
}

/** Resolves true once no run is active, false when `ms` pass first. */
export function runsSettled(ms: number): Promise<boolean> {
  if (active.size === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      idle = idle.filter((w) => w !== wake);
      resolve(false);
    }, ms);
    const wake = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    idle.push(wake);
  });
}

/** Interrupts every active run (they stop at their next step and roll back). */
export function interruptRuns(reason: string): void {
  for (const a of active) a.abort(new RunInterruptedError(reason));
}
