import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config.js';

/**
 * Security headers for every answer (panel, API, /docs): a CSP whose `frame-ancestors 'self'`
 * stops another site from framing the logged-in panel (clickjacking), plus no plugins and no
 * foreign <base>/form targets; nosniff; no Referer leaving the origin; HSTS only when the cookies
 * are marked Secure (IPOCKET_COOKIE_SECURE=1: served over TLS). Script and style sources are not
 * restricted yet: AdminJS and swagger-ui inline their boot scripts and styles.
 */
export function securityHeaders(config: Pick<AppConfig, 'cookieSecure'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        // No default-src yet (see above): only the directives that need no inline-script audit.
        'default-src': helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc,
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
