import { randomBytes } from 'node:crypto';
import helmet from 'helmet';
import type { RequestHandler, Response } from 'express';
import type { AppConfig } from '../config.js';

/** The CSP nonce of this answer: the inline scripts and styles we render carry it (see cspNonce). */
function nonceSource(_req: unknown, res: unknown): string {
  return `'nonce-${cspNonce(res as Response)}'`;
}

/** This answer's nonce, made on first use: an inline <script>/<style> we render runs only with it. */
export function cspNonce(res: Response): string {
  const locals = res.locals as { cspNonce?: string };
  locals.cspNonce ??= randomBytes(16).toString('base64');
  return locals.cspNonce;
}

/**
 * Security headers for every answer (panel, API, /docs): a CSP whose `frame-ancestors 'self'`
 * stops another site from framing the logged-in panel (clickjacking), plus no plugins and no
 * foreign <base>/form targets; nosniff; no Referer leaving the origin; HSTS only when the cookies
 * are marked Secure (IPOCKET_COOKIE_SECURE=1: served over TLS).
 *
 * Scripts: our own origin's files, and inline scripts only with this answer's nonce. AdminJS's
 * page templates inline their boot scripts; the panel router gives exactly those the nonce
 * (src/admin/csp.ts), so a script injected into a page does not run. /docs has no inline script.
 * Styles: our files, and inline <style> blocks with the nonce: AdminJS's reset block, and the
 * sheets styled-components and emotion add at run time (they read the nonce the panel sets in
 * `window.__webpack_nonce__`). Style attributes stay allowed: the design system and swagger-ui
 * set them, and they cannot run code.
 */
export function securityHeaders(config: Pick<AppConfig, 'cookieSecure'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc,
        'script-src': ["'self'", nonceSource],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", nonceSource],
        'style-src-attr': ["'unsafe-inline'"],
        'frame-ancestors': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // The panel embeds nothing cross-origin, but COEP would also block same-origin blobs some browsers treat specially.
    crossOriginEmbedderPolicy: false,
  });
}
