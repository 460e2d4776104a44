/**
 * `npm run build` step: bundles the panel's React components (components/*.tsx) into
 * build/adminjs/bundle.js with AdminJS's own rollup setup, so `npm start` never bundles. The
 * digest of its sources goes beside it, so the e2e suite serves this bundle instead of making its own.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundlePanelComponents } from './bundle.js';
import { bundleSourcesDigest, DIGEST_FILE } from './bundle-digest.js';

const started = performance.now();
const digest = bundleSourcesDigest();
const file = await bundlePanelComponents();
writeFileSync(path.join(path.dirname(file), DIGEST_FILE), `${digest}\n`);
console.log(`panel components bundled → ${file} in ${Math.round(performance.now() - started)} ms`);
