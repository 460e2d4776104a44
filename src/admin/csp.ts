import { readFileSync } from 'node:fs';

/**
 * Gives AdminJS's own inline <script>/<style> blocks this answer's CSP nonce (see
 * src/http/security-headers.ts), and nothing else: the blocks are found where AdminJS's layout
 * and login templates put them, so a tag injected into a page (say, through a value inside the
 * page state) is not blessed. The state script opens <head>; the other blocks follow the last
 * bundle tag, which comes after the state; the boot script is the last of its kind.
 */
export function withNonces(html: string, nonce: string): string {
  const tag = (name: 'script' | 'style') => `<${name} nonce="${nonce}">`;
  const out = html.replace(/^(\s*<!DOCTYPE html>\s*<html[^>]*>\s*<head>\s*)<script>(?=\s*window\.REDUX_STATE = )/i, `$1${tag('script')}`);
  const bundles = out.lastIndexOf('components.bundle.js"></script>');
  if (bundles < 0) return out;
  const head = out.slice(0, bundles);
  let tail = out.slice(bundles);
  tail = tail.replace(/<script>(?=\s*try \{\s*window\.__APP_STATE__ = )/, tag('script'));
  tail = tail.replace(/<style>/, tag('style'));
  const boot = tail.search(/<script>(?=\s*var app = document\.getElementById\('app'\);)(?![\s\S]*<script>\s*var app = document\.getElementById)/);
  if (boot >= 0) tail = `${tail.slice(0, boot)}${tag('script')}${tail.slice(boot + '<script>'.length)}`;
  return head + tail;
}

/**
 * webpack's "global" shim in AdminJS's design-system bundle tries `new Function("return this")()`
 * first (strict code has no `this`), which a CSP without 'unsafe-eval' refuses and reports on
 * every page before the shim falls back to `window`. `globalThis` is what it is looking for.
 */
const EVAL_SHIM = 'new Function("return this")()';

/** The design-system bundle as the panel serves it, without the eval shim; null for other assets (served as files). */
export function cspSafeAsset(file: string): Buffer | null {
  if (!/design-system[/\\][^/\\]*\.js$/.test(file)) return null;
  const text = readFileSync(file, 'utf8');
  return text.includes(EVAL_SHIM) ? Buffer.from(text.replaceAll(EVAL_SHIM, 'globalThis')) : null;
}
