import { z } from 'zod';
import type { ReleasedAction } from '../../src/domain/netbox.js';
import { optionFlag, secret } from '../../src/plugins/options.js';

/**
 * The NetBox connection, saved as a connector configuration of plugin `netbox` (the token is a
 * secret: encrypted at rest, never shown back). `token` takes either form NetBox accepts: a v1
 * token sent as `Token <t>`, or a v2 token `nbt_<key>.<token>` sent as `Bearer nbt_<key>.<token>`.
 */
export const NetBoxOptions = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('NetBox base URL, e.g. https://netbox.example.com'),
  token: secret(z.string().trim().min(1).max(512).describe('API token: a v1 token, or a v2 token nbt_<key>.<token>')),
  tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
  timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for each NetBox answer'),
  released: z.enum(['deprecated', 'delete'] as const satisfies readonly ReleasedAction[]).default('deprecated').describe('What a released or expired reservation becomes in NetBox: status deprecated, or deleted'),
  retries: z.coerce.number().int().min(0).max(5).default(2).describe('Retries of one request answered 429 or 503 before the push waits for its next try'),
});

export type NetBoxSettings = z.output<typeof NetBoxOptions>;

/** The Authorization header of a token: v2 tokens (nbt_…) are bearer tokens, anything else a v1 token. */
export function authorizationOf(token: string): string {
  const t = token.replace(/^(Token|Bearer)\s+/i, '');
  return t.startsWith('nbt_') ? `Bearer ${t}` : `Token ${t}`;
}
