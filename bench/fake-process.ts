/**
 * A source fake (bench/connector-fake.ts) in its own process, with its counters on demand: the
 * requests it served and the CPU it spent, so a bench shows whether the fake or the connector
 * is the bottleneck.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { FakeStats } from './connector-fake.js';
import { BENCH_SOURCES } from './sources.js';

export interface FakeProcess {
  url: string;
  stats(): Promise<FakeStats>;
  stop(): void;
}

const script = path.join(BENCH_SOURCES, 'connector-fake.ts');

export async function startFakeProcess(args: string[]): Promise<FakeProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  const rl = createInterface({ input: proc.stdout! });
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const line = queued.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      proc.once('exit', (code) => reject(new Error(`connector-fake ${args.join(' ')} exited (${code})`)));
    });
  const url = await nextLine();
  return {
    url,
    stats: async () => {
      proc.stdin!.write('stats\n');
      return JSON.parse(await nextLine()) as FakeStats;
    },
    stop: () => proc.stdin!.end(),
  };
}
