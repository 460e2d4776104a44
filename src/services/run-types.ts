// The wire shapes of import and connector runs. No imports: the panel's components import these types too.

export type RunMode = 'dry_run' | 'apply';
/** `interrupted`: its process stopped (shutdown, crash) before it finished; see run-liveness.ts. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'rejected' | 'interrupted';
export type LogLevel = 'info' | 'warn' | 'error';

export interface RunLogLine {
  level: LogLevel;
  message: string;
  at: string;
}

export interface ImportRun {
  id: number;
  plugin: string;
  source: string | null;
  mode: RunMode;
  status: RunStatus;
  user_id: number | null;
  username: string | null;
  options: Record<string, unknown>;
  counts: Record<string, unknown> | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface ImportRunDetail extends ImportRun {
  log: RunLogLine[];
}
