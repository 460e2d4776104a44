import { z } from 'zod';
import { ASSET_TYPES } from '../../src/domain/asset-types.js';
import { isLoopback } from '../../src/domain/ip/address.js';
import { formatTimestamp } from '../../src/domain/time.js';
import { emptyBatch } from '../../src/plugins/batch.js';
import { basicAuth, connectorClient } from '../../src/plugins/connector-http.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { optionFlag, optionList, secret } from '../../src/plugins/options.js';
import { extractAddress } from './extract-address.js';
import { parseQueryAnswer } from './parse-query.js';

export const PrometheusOptions = z
  .object({
    url: z.url({ protocol: /^https?$/ }).describe('Prometheus base URL, e.g. http://prometheus:9090'),
    query: z.string().trim().min(1).max(4000).default('up').describe('PromQL instant query; its result must be a vector'),
    label: z.string().trim().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a label name').default('instance').describe('Label holding the address'),
    type: z.enum(ASSET_TYPES).default('OTHER').describe('Type of new IPs'),
    update_type: optionFlag.default(false).describe('Also set the type of IPs that already exist (default: keep theirs)'),
    project: z.string().trim().min(1).max(128).optional().describe('Project for new IPs (existing ones keep theirs unless unassigned)'),
    tags: optionList.default(['prometheus']).describe('Tags added to every IP found'),
    token: secret(z.string().min(1).optional().describe('Bearer token')),
    username: z.string().min(1).optional().describe('Basic auth user'),
    password: secret(z.string().optional().describe('Basic auth password')),
    tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
    timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for Prometheus'),
    include_loopback: optionFlag.default(false).describe('Also import 127.0.0.0/8 and ::1'),
    mark_last_seen: optionFlag.default(false).describe('Record the run time as last seen'),
  })
  .refine((o) => !(o.token && o.username), { message: 'use either a bearer token or a username/password, not both', path: ['token'] });

/** Prometheus `/api/v1/query`: every address in a label of an instant vector becomes an IP asset. */
export const prometheusPlugin = definePlugin({
  name: 'prometheus',
  title: 'Prometheus',
  description: 'Runs a PromQL instant query and imports the IPv4/IPv6 addresses found in a label (node_exporter: `instance`).',
  kind: 'connector',
  options: PrometheusOptions,
  schedule: { cron: '*/15 * * * *', mode: 'dry_run' },
  async collect(_input, options, ctx) {
    const { http: client, base, origin } = connectorClient(options, ctx, 'Prometheus', 1);
    const source = `${origin}${base.pathname.replace(/\/$/, '')} (${options.query})`.slice(0, 255);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    else if (options.username) headers.authorization = basicAuth(options.username, options.password ?? '');

    ctx.progress({ phase: 'fetch', done: 0 });
    ctx.log('info', `Querying ${origin}: ${options.query}`);
    let answer;
    try {
      const body = new URLSearchParams({ query: options.query, timeout: `${Math.max(1, Math.floor(options.timeout))}s` }).toString();
      answer = parseQueryAnswer(await client.request('POST', 'api/v1/query', { headers, body }), origin);
    } finally {
      client.close();
    }
    for (const w of answer.warnings) ctx.log('warn', `Prometheus: ${w}`);

    const batch = emptyBatch(source);
    // Discovery never overrides an operator: notes only fill in, tags add up, type kept unless asked.
    batch.policy = { asset: { type: options.update_type ? 'overwrite' : 'keep', notes: 'fill', project: 'fill', tags: 'merge' } };
    if (options.project) batch.projects.push({ loc: 'options.project', name: options.project });
    const seen = options.mark_last_seen ? formatTimestamp(ctx.now) : undefined;
    const byIp = new Map<string, { loc: string; address: string; jobs: Set<string>; values: Set<string> }>();
    let noLabel = 0;
    let loopback = 0;
    const notAddresses: string[] = [];
    answer.samples.forEach((s, i) => {
      const value = s.metric[options.label];
      if (value === undefined) return void noLabel++;
      const ip = extractAddress(value);
      if (!ip) {
        notAddresses.push(value);
        batch.issues.push({ level: 'warning', location: `result[${i}].metric.${options.label}`, message: `"${value}" is not an IP address (host names are not resolved); skipped` });
        return;
      }
      if (!options.include_loopback && isLoopback(ip)) return void loopback++;
      const entry = byIp.get(ip.key) ?? { loc: `result[${i}].metric.${options.label}`, address: ip.address, jobs: new Set<string>(), values: new Set<string>() };
      if (s.metric.job) entry.jobs.add(s.metric.job);
      entry.values.add(value);
      byIp.set(ip.key, entry);
    });
    for (const e of byIp.values()) {
      batch.ip_assets.push({
        loc: e.loc,
        ip_address: e.address,
        type: options.type,
        project_name: options.project,
        notes: `Prometheus: ${options.label}=${[...e.values].slice(0, 5).join(', ')}${e.jobs.size ? ` (job ${[...e.jobs].slice(0, 5).join(', ')})` : ''}`,
        tags: options.tags,
        last_seen_at: seen,
      });
    }
    const skipped = [
      loopback ? `${loopback} loopback` : '',
      noLabel ? `${noLabel} without label "${options.label}"` : '',
      notAddresses.length ? `${notAddresses.length} not an address` : '',
    ].filter(Boolean);
    ctx.log('info', `${answer.samples.length} series, ${byIp.size} distinct address(es)${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`);
    ctx.progress({ phase: 'fetch', done: answer.samples.length, total: answer.samples.length });
    return batch;
  },
});
