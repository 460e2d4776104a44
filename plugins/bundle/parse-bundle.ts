import { z } from 'zod';
import type { AssetPolicy, Batch } from '../../src/plugins/batch.js';
import { MAX_JSON_DEPTH, jsonTooDeep } from '../../src/domain/json-depth.js';
import { ImportInputError, InputRefusedError } from '../../src/plugins/errors.js';

/** The envelope: `{app:"ipocket", schema_version:"1", exported_at, data:{…}}`. Records are checked one by one below. */
const Envelope = z.object({
  app: z.string().optional(),
  schema_version: z.unknown(),
  exported_at: z.unknown().optional(),
  data: z.object({
    vendors: z.array(z.unknown()).optional(),
    projects: z.array(z.unknown()).optional(),
    tags: z.array(z.unknown()).optional(),
    ranges: z.array(z.unknown()).optional(),
    hosts: z.array(z.unknown()).optional(),
    ip_assets: z.array(z.unknown()).optional(),
  }),
});

type Obj = Record<string, unknown>;

/**
 * Reads a bundle JSON document (schema_version "1", as the original exports it, plus our `tags`
 * and `ranges` sections) into the batch. A field of the wrong type is an error at its path,
 * e.g. `data.ip_assets[3].host_name`; the record is left out.
 */
export function readBundleJson(text: string, fileName: string, batch: Batch): void {
  if (jsonTooDeep(text)) throw new InputRefusedError(`not a bundle: arrays/objects nest more than ${MAX_JSON_DEPTH} levels deep`, fileName);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The original's message: its clients show it as is.
    throw new ImportInputError('Invalid JSON payload.', fileName);
  }
  const env = Envelope.safeParse(doc);
  if (!env.success) {
    const issue = env.error.issues[0]!;
    throw new ImportInputError(`not an ipocket bundle: ${issue.path.join('.') || 'document'} ${issue.message.toLowerCase()}`, fileName);
  }
  if (env.data.schema_version !== '1') {
    throw new ImportInputError(`Unsupported schema_version (expected '1'), got ${JSON.stringify(env.data.schema_version ?? null)}.`, 'schema_version');
  }
  if (env.data.app !== undefined && env.data.app !== 'ipocket') throw new ImportInputError(`"app" is ${JSON.stringify(env.data.app)}, expected "ipocket"`, fileName);
  const data = env.data.data;
  const err = (location: string, message: string): void => void batch.issues.push({ level: 'error', location, message });

  /**
   * Reads the string fields of a record; a wrong type is an error and drops the record. A missing
   * required field is read as '' and reported by the plan's checks, with the record's other problems.
   */
  const fields = (list: unknown[] | undefined, section: string, names: readonly string[], required: string, each: (r: Record<string, string | null | undefined>, raw: Obj, loc: string) => void): void => {
    (list ?? []).forEach((raw, i) => {
      const loc = `data.${section}[${i}]`;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return err(loc, 'must be an object');
      const obj = raw as Obj;
      const out: Record<string, string | null | undefined> = {};
      for (const n of names) {
        const v = obj[n];
        if (v === undefined || v === null) out[n] = v as null | undefined;
        else if (typeof v === 'string') out[n] = v;
        else if (typeof v === 'number' && (n === 'ip_address' || n === 'name')) out[n] = String(v);
        else return err(`${loc}.${n}`, 'must be a string');
      }
      out[required] ??= '';
      each(out, obj, loc);
    });
  };

  fields(data.vendors, 'vendors', ['name'], 'name', (r, _o, loc) => batch.vendors.push({ loc, name: r.name! }));
  fields(data.projects, 'projects', ['name', 'description', 'color'], 'name', (r, _o, loc) =>
    batch.projects.push({ loc, name: r.name!, description: r.description, color: r.color || undefined }),
  );
  fields(data.tags, 'tags', ['name', 'color'], 'name', (r, _o, loc) => batch.tags.push({ loc, name: r.name!, color: r.color || undefined }));
  fields(data.ranges, 'ranges', ['name', 'cidr', 'notes'], 'cidr', (r, _o, loc) => batch.ranges.push({ loc, cidr: r.cidr!, name: r.name || undefined, notes: r.notes }));
  fields(data.hosts, 'hosts', ['name', 'notes', 'vendor_name', 'project_name', 'os_ip', 'bmc_ip'], 'name', (r, _o, loc) =>
    batch.hosts.push({ loc, name: r.name!, notes: r.notes, vendor_name: r.vendor_name, project_name: r.project_name, os_ip: r.os_ip, bmc_ip: r.bmc_ip }),
  );
  fields(data.ip_assets, 'ip_assets', ['ip_address', 'type', 'project_name', 'host_name', 'notes', 'created_at', 'updated_at', 'last_seen_at'], 'ip_address', (r, o, loc) => {
    const tags = o.tags;
    if (tags !== undefined && tags !== null && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string')) && typeof tags !== 'string') {
      return err(`${loc}.tags`, 'must be a list of tag names');
    }
    const flags: Partial<AssetPolicy> = {};
    for (const [key, apply] of [
      ['archived', null],
      ['preserve_existing_notes', () => (flags.notes = 'fill')],
      ['preserve_existing_type', () => (flags.type = 'keep')],
      ['merge_tags', () => (flags.tags = 'merge')],
    ] as const) {
      const v = o[key];
      if (v !== undefined && v !== null && typeof v !== 'boolean') return err(`${loc}.${key}`, 'must be true or false');
      if (v === true && apply) apply();
    }
    batch.ip_assets.push({
      loc,
      ip_address: r.ip_address!,
      type: r.type,
      project_name: r.project_name,
      host_name: r.host_name,
      notes: r.notes,
      archived: typeof o.archived === 'boolean' ? o.archived : undefined,
      tags: tags === undefined || tags === null ? undefined : typeof tags === 'string' ? tags.split(',') : (tags as string[]),
      created_at: r.created_at,
      updated_at: r.updated_at,
      last_seen_at: r.last_seen_at ?? undefined,
      policy: flags,
    });
  });
}
