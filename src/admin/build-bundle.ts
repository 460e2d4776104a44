/**
 * `npm run build` step: bundles the panel's React components (components/*.tsx) into
 * build/adminjs/bundle.js with AdminJS's own rollup setup, so `npm start` never bundles.
 */
import { performance } from 'node:perf_hooks';
import { bundlePanelComponents } from './bundle.js';

const started = performance.now();
const file = await bundlePanelComponents();
console.log(`panel components bundled → ${file} in ${Math.round(performance.now() - started)} ms`);
