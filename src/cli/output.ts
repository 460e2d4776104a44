import cliProgress from 'cli-progress';
import { ENTITIES, type Plan } from '../plugins/reconcile/index.js';
import type { RunOutcome } from '../plugins/runner.js';

export interface ProgressBar {
  /** Moves the bar; `label` is the phase (read, plan, apply…) or the table being copied. */
  update(label: string, done: number, total?: number): void;
  stop(): void;
}

/**
 * The one progress bar of the CLI, on stderr so stdout stays a clean table to pipe. It draws
 * only on a terminal. `linePerLabel` leaves each label's bar on its own line (a migration's
 * tables); otherwise one bar follows the phases of a run.
 */
export function progressBar(opts: { linePerLabel?: boolean; labelWidth?: number } = {}): ProgressBar {
  const bar = new cliProgress.SingleBar({ format: ' {label} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  const width = opts.labelWidth ?? 6;
  let current: string | null = null;
  return {
    update(label, done, total = Math.max(done, 1)) {
      const payload = { label: label.padEnd(width) };
      if (current === null || (opts.linePerLabel && label !== current)) {
        if (current !== null) bar.stop();
        bar.start(total, done, payload);
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
      current = label;
    },
    stop: () => void (current !== null && bar.stop()),
  };
}

/** Lines of errors/warnings (and, with `changes`, changed records) printed; the rest are counted. */
const SHOWN_ISSUES = 20;
const SHOWN_CHANGES = 50;

/**
 * The one plan printer: CREATE/UPDATE/SKIP counts per entity as a table, then (a dry-run of a
 * connector: `changes`) the per-record field diffs, then the first errors and warnings.
 */
function printPlan(plan: Plan, opts: { changes?: boolean } = {}): void {
  console.table(Object.fromEntries([...ENTITIES.map((e) => [e, { create: plan.counts[e].create, update: plan.counts[e].update, skip: plan.counts[e].skip }]), ['total', plan.totals]]));
  if (opts.changes) {
    const listed = plan.changes.filter((c) => c.entity === 'ip_assets' || c.entity === 'hosts');
    const shown = listed.slice(0, SHOWN_CHANGES);
    for (const c of shown) {
      const diff = c.changes.map((f) => `${f.field}: ${JSON.stringify(f.before ?? null)} → ${JSON.stringify(f.after ?? null)}`).join('; ');
      console.log(`${c.action.padEnd(6)} ${c.key}${diff ? `  ${diff}` : ''}`);
    }
    // The plan keeps a bounded preview of large runs; what it left out is counted, not listed.
    const more = listed.length - shown.length + plan.changesOmitted.changed + plan.changesOmitted.skipped;
    if (more > 0) console.log(`… and ${more} more`);
  }
  for (const e of plan.errors.slice(0, SHOWN_ISSUES)) console.log(`error   ${e.location}: ${e.message}`);
  if (plan.errors.length > SHOWN_ISSUES) console.log(`… and ${plan.errors.length - SHOWN_ISSUES} more errors`);
  for (const w of plan.warnings.slice(0, SHOWN_ISSUES)) console.log(`warning ${w.location}: ${w.message}`);
  if (plan.warnings.length > SHOWN_ISSUES) console.log(`… and ${plan.warnings.length - SHOWN_ISSUES} more warnings`);
}

/** The last lines of an import or connector run, and its exit code (1 unless it succeeded). */
export function reportOutcome(outcome: RunOutcome, opts: { changes?: boolean } = {}): number {
  if (outcome.plan) printPlan(outcome.plan, opts);
  if (outcome.error) console.error(outcome.error.message);
  const verdict = outcome.applied ? 'Applied.' : outcome.status === 'succeeded' ? 'Dry-run: nothing was written.' : 'Nothing was written.';
  console.log(`${verdict} (run #${outcome.runId}, ${outcome.status})`);
  return outcome.status === 'succeeded' ? 0 : 1;
}
