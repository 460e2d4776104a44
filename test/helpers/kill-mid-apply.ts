/**
 * kill -9 in the middle of an apply: a child process runs the apply and freezes inside the open
 * transaction once its first chunk is written (`freezeOnFirstApply`); the parent waits for that
 * (`spawnUntilApplying`) and kills it.
 */
import { spawn } from 'node:child_process';
import type { PluginProgress } from '../../src/plugins/define-plugin.js';

/** An onProgress for the child: announces `APPLYING done/total` on stdout and freezes (rows written, nothing committed) until killed. */
export function freezeOnFirstApply(): (p: PluginProgress) => void {
  let announced = false;
  return (p) => {
    if (p.phase === 'apply' && p.done > 0 && !announced) {
      announced = true;
      process.stdout.write(`APPLYING ${p.done}/${p.total}\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
  };
}

/** Starts the child, waits until it announces the apply, kills it with SIGKILL; returns what it printed and how it ended. */
export async function killMidApply(script: string, env: Record<string, string>): Promise<{ out: string; exit: NodeJS.Signals | number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child never reached the apply: ${out} ${err}`)), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('APPLYING')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`child exited early: ${out} ${err}`)));
  });
  child.kill('SIGKILL');
  return { out, exit: await exited };
}
