/** Runs a CLI command function with console.log/error/table captured as lines (tables as JSON). */
export async function captureConsole(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const saved = { log: console.log, error: console.error, table: console.table };
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  console.error = console.log;
  console.table = (d: unknown) => void lines.push(JSON.stringify(d));
  try {
    return { code: await run(), out: lines.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}
