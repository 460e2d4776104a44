import type { Request, RequestHandler } from 'express';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses cross-origin state changes made with the panel cookie (CSRF). SameSite=Lax does not
 * help between two ports of one host (they are the same site), so an unsafe request that is not
 * authenticated by a bearer token must be same-origin by Fetch Metadata (`Sec-Fetch-Site`), or,
 * where a browser sends no Fetch Metadata, by a matching `Origin`. A request with neither header
 * is not from a browser (curl, scripts) and cannot carry a victim's cookie by accident: it passes,
 * as in Go's net/http CrossOriginProtection. Bearer requests are unaffected: a page cannot attach
 * an Authorization header to another origin without a CORS preflight, which nothing here allows.
 */
export const sameOriginWrites: RequestHandler = (req, res, next) => {
  if (SAFE.has(req.method) || req.get('authorization')) return next();
  if (isSameOrigin(req)) return next();
  res.status(403).json({ detail: 'Cross-origin request refused: state changes with the panel session must come from this origin.' });
};

export function isSameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (origin === undefined) return true;
  return origin === `${req.protocol}://${req.get('host') ?? ''}`;
}
