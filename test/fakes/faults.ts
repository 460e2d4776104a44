/**
 * Failure switches every source fake shares (401, 429, 503, slow answers), flipped by a test
 * while the fake runs. Each fake supplies its own error bodies, since a connector must read
 * each API's own wording.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-server.js';

export interface Faults {
  /** Every authenticated call answers 401, as when the account is disabled mid-run. */
  unauthorized: boolean;
  /** The next N requests answer 429 with Retry-After. */
  rateLimited: number;
  retryAfterSeconds: number;
  /** The next N requests answer 503. */
  unavailable: number;
  /** Each answer waits this long before it starts (a slow or overloaded source). */
  delayMs: number;
  /** Answers trickle in 64-byte pieces this many ms apart (never silent long enough for an idle timeout). */
  dribbleMs: number;
}

export interface FaultBodies {
  unauthorized: unknown;
  rateLimited: unknown;
  unavailable: unknown;
}

export const noFaults = (): Faults => ({ unauthorized: false, rateLimited: 0, retryAfterSeconds: 1, unavailable: 0, delayMs: 0, dribbleMs: 0 });

/**
 * Applies the switched-on faults: waits the delay, then answers 429 or 503 when one is pending.
 * Resolves true when it answered (the fake stops there). 401 is the fake's to apply: only its
 * authenticated routes fail, never its login.
 */
export async function answerFault(f: Faults, res: ServerResponse, bodies: FaultBodies): Promise<boolean> {
  if (f.delayMs > 0) await new Promise((r) => setTimeout(r, f.delayMs));
  if (res.destroyed) return true;
  if (f.dribbleMs > 0) dribble(res, f.dribbleMs);
  if (f.rateLimited > 0) {
    f.rateLimited--;
    const text = JSON.stringify(bodies.rateLimited);
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(f.retryAfterSeconds), 'content-length': Buffer.byteLength(text) }).end(text);
    return true;
  }
  if (f.unavailable > 0) {
    f.unavailable--;
    sendJson(res, 503, bodies.unavailable);
    return true;
  }
  return false;
}

/** Makes the answer's body go out in small pieces with pauses (headers first, as a slow proxy would). */
function dribble(res: ServerResponse, pauseMs: number): void {
  const end = res.end.bind(res);
  res.end = ((chunk?: unknown) => {
    const body = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.alloc(0);
    void (async () => {
      for (let i = 0; i < body.length && !res.destroyed; i += 64) {
        res.write(body.subarray(i, i + 64));
        await new Promise((r) => setTimeout(r, pauseMs));
      }
      end();
    })();
    return res;
  }) as typeof res.end;
}

/** `Basic base64(user:password)` as a server compares it. */
export const expectedBasic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A deterministic MAC from a number under an OUI (by default a locally administered one, so never a real vendor's). */
export function macOf(n: number, oui: [number, number, number] = [0x02, 0x00, 0x00]): string {
  const bytes = [...oui, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
