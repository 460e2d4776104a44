/** Small timing helpers for benchmarks (never used by tests). */
export interface Stats {
  median: number;
  p90: number;
  p95: number;
  min: number;
  runs: number;
}

/** Runs fn `runs` times after `warmup` calls; returns milliseconds. */
export async function measure(fn: () => Promise<unknown>, runs = 20, warmup = 3): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p90: times[Math.min(times.length - 1, Math.floor(times.length * 0.9))]!, p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!, min: times[0]!, runs };
}

export function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

/** Sizes to run: IPOCKET_BENCH_SIZES="100000,1000000" (default both). */
export function benchSizes(): number[] {
  return (process.env.IPOCKET_BENCH_SIZES ?? '100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
}
