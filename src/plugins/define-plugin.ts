import type { z } from 'zod';
import type { RunMode } from '../services/import-runs.js';
import type { Batch } from './batch.js';
import type { ImportLimits } from './limits.js';

export type PluginKind = 'importer' | 'connector';

/** One uploaded or named file handed to an importer. */
export interface PluginFile {
  /** File name as given (used in error locations: `ip-assets.csv:line 7`). */
  name: string;
  /** The multipart field it came in (`file`, `hosts`, `ip_assets`…), when uploaded. */
  field?: string;
  data: Buffer;
}

/** What a run hands to collect: files for importers; connectors usually get none. */
export interface PluginInput {
  files: PluginFile[];
}

export interface PluginProgress {
  /** `read`, `fetch`, `plan`, `apply`… */
  phase: string;
  done: number;
  total?: number;
}

/** The run's services for a plugin: logging, progress, cancellation, limits. Plugins never touch the database. */
export interface PluginContext {
  log(level: 'info' | 'warn' | 'error', message: string): void;
  progress(p: PluginProgress): void;
  /** Aborted when the run is cancelled or times out; pass it to fetch(). */
  signal: AbortSignal;
  /** True for a dry-run (connectors may skip side effects such as session keep-alives). */
  dryRun: boolean;
  limits: ImportLimits;
  /** The run's clock, for last-seen stamps. */
  now: Date;
}

export interface PluginDefinition<S extends z.ZodType = z.ZodType> {
  /** URL- and CLI-safe id: `bundle`, `csv`, `nmap`, `vcenter`. */
  name: string;
  title: string;
  description?: string;
  kind: PluginKind;
  /** zod object schema; mark passwords/tokens with `secret()`. Drives the panel form, CLI flags and saved schedules. */
  options: S;
  /** For importers: what files it reads (shown in the panel and CLI help). */
  accepts?: { extensions: string[]; fields?: string[]; multiple?: boolean };
  /** Reads the input (or the remote system) into a batch. Never writes to the database. */
  collect(input: PluginInput, options: z.output<S>, ctx: PluginContext): Promise<Batch>;
  /** A suggested schedule for connectors (cron syntax). */
  schedule?: { cron: string; mode?: RunMode };
}

export type Plugin<S extends z.ZodType = z.ZodType> = Readonly<PluginDefinition<S>>;

const NAME = /^[a-z][a-z0-9-]{1,31}$/;

/** Declares a plugin (Payload-style): checks the shape once, keeps the option types. */
export function definePlugin<S extends z.ZodType>(def: PluginDefinition<S>): Plugin<S> {
  if (!NAME.test(def.name)) throw new Error(`Plugin name "${def.name}" must match ${NAME}`);
  if (def.kind !== 'importer' && def.kind !== 'connector') throw new Error(`Plugin ${def.name}: kind must be importer or connector`);
  return Object.freeze({ ...def });
}
