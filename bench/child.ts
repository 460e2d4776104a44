/** A bench's child processes (fakes, steps each with its own peak RSS) and its result table. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Starts a Node process running `script args…` (with node's `flags`) and resolves with its first stdout line. */
export async function child(script: string, args: string[], keepAlive: boolean, flags: readonly string[] = []): Promise<{ line: string; stop(): void }> {
  // A bench built to dist/bench (scripts/build-benches.mjs) runs as plain JavaScript, as production does.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...loader, ...flags, script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${path.basename(script)} ${args.join(' ')} exited (${code})`)));
  });
  if (!keepAlive) proc.stdin!.end();
  return { line, stop: () => proc.stdin!.end() };
}

/** The load the figures were measured under, the table, and a failing exit when a row missed its target. */
export function printRows(rows: readonly Record<string, unknown>[]): void {
  console.log(`load average during the run: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} CPUs)`);
  console.table(rows);
  if (rows.some((r) => r.ok !== 'yes')) process.exitCode = 1;
}
