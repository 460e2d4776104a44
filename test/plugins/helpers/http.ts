import type { Express } from 'express';
import request from 'supertest';

/** Collects a response body as a Buffer (zip downloads). */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** GET an export as text or bytes. */
export async function download(app: Express, auth: { Authorization: string }, path: string): Promise<{ status: number; body: Buffer; type: string }> {
  const res = await request(app).get(path).set(auth).buffer(true).parse(binary);
  return { status: res.status, body: res.body as Buffer, type: String(res.headers['content-type']) };
}

/** The bundle JSON without its export time, for comparisons. */
export function stableBundle(body: Buffer): unknown {
  const doc = JSON.parse(body.toString('utf8')) as { exported_at?: string };
  delete doc.exported_at;
  return doc;
}
