import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import type { Run, RunDetail } from '../shared/runs';

/**
 * While a run of `plugin` is busy: a clock tick every 500 ms and the newest log line of the
 * signed-in user's running run. The import POST answers only when the run is over, so this polls.
 */
export function useRunProgress(busy: boolean, plugin: string | undefined, username: string | null): string | null {
  const [progress, setProgress] = useState<string | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!busy || !plugin) return undefined;
    const t = setInterval(() => setTick((n) => n + 1), 500);
    let stop = false;
    const poll = async (): Promise<void> => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 1000));
        if (stop) return;
        try {
          const running = (await api.get<Run[]>(`/import/runs?status=running&plugin=${encodeURIComponent(plugin)}&limit=5`)).find((r) => r.username === username);
          if (running && !stop) {
            const detail = await api.get<RunDetail>(`/import/runs/${running.id}`);
            const last = detail.log[detail.log.length - 1];
            if (!stop) setProgress(`run #${running.id}${last ? `: ${last.message}` : ''}`);
          }
        } catch {
          // Progress is a nicety; the run's own answer reports failures.
        }
      }
    };
    void poll();
    return () => {
      stop = true;
      clearInterval(t);
      setProgress(null);
    };
  }, [busy, plugin, username]);
  return progress;
}
