/** Posts GraphQL documents to the real app, as a client would. */
import type { Express } from 'express';
import request from 'supertest';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; status?: number; issues?: { loc: (string | number)[]; msg: string }[] } & Record<string, unknown>;
}

export interface GqlAnswer<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: GqlError[] | undefined;
  text: string;
}

/** POST /graphql with JSON; `headers` carries the caller (a bearer token) or nothing (anonymous). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read by the test that shaped the query
export async function gql<T = Record<string, any>>(app: Express | ReturnType<typeof request.agent>, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GqlAnswer<T>> {
  const agent = typeof (app as { post?: unknown }).post === 'function' && !(app as Express).listen ? (app as ReturnType<typeof request.agent>) : request(app as Express);
  const res = await agent.post('/graphql').set(headers).set('Accept', 'application/json').send({ query, variables });
  const body = (res.body ?? {}) as { data?: T | null; errors?: GqlError[] };
  return { status: res.status, data: body.data, errors: body.errors, text: res.text };
}

/** The first error's code, or undefined. */
export const codeOf = (a: GqlAnswer): string | undefined => a.errors?.[0]?.extensions?.code;
