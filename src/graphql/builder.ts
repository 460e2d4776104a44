import SchemaBuilder from '@pothos/core';
import { GraphQLError, Kind } from 'graphql';
import { z } from 'zod';
import type { Access } from '../services/access.js';
import { parseInput } from '../services/validate.js';
import type { GraphQLContext } from './context.js';

/** Stored timestamps are UTC "YYYY-MM-DD HH:MM:SS"; on the wire they are ISO 8601 with a Z. */
function toIso(value: unknown): string {
  const s = String(value);
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string };
    /** A count that may pass 2^53 (an IPv6 range's addresses): decimal text. */
    BigCount: { Input: string; Output: number | string };
  };
}>({ defaultFieldNullability: false });

builder.scalarType('DateTime', {
  description: 'UTC time, ISO 8601 (2026-01-31T12:00:00Z).',
  serialize: toIso,
  parseValue: (v) => {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new GraphQLError('DateTime must be an ISO 8601 string.');
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) throw new GraphQLError('DateTime must be an ISO 8601 string.');
    return ast.value;
  },
});

builder.scalarType('BigCount', {
  description: 'A non-negative count as decimal text (an IPv6 range holds more addresses than a JSON number keeps exactly).',
  serialize: (v) => String(v),
  parseValue: (v) => String(v),
});

builder.queryType({});
builder.mutationType({});


/**
 * The extensions of a root field: its level of the access policy (src/services/access.ts), which
 * schema.ts checks before the resolver runs. A root field without one fails the schema build.
 */
export function level(access: Access): { access: Access } {
  return { access };
}

const IdSchema = z.union([z.string().regex(/^[0-9]{1,10}$/, 'must be a positive integer id'), z.number().int()]).transform(Number).pipe(z.number().int().min(1, 'must be a positive integer id').max(2_147_483_647, 'must be a positive integer id'));

/** A GraphQL ID argument as a database id; anything else is a ValidationError naming the argument. */
export function toId(value: string | number, arg: string): number {
  return parseInput(IdSchema, value, arg);
}

/**
 * GraphQL arguments as the REST query a service parses (`projectId` → `project_id`; an omitted or
 * null argument is left out), so both surfaces go through the same zod schema and its errors.
 */
export function restQuery(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) if (value !== null && value !== undefined) out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  return out;
}
