/**
 * The one Chromium of a test run (started by scripts/run-tests.mjs when the run holds Chromium
 * files): prints its WebSocket address on the first line of stdout, then serves it until its stdin
 * closes (the runner ended, however it ended) or it gets SIGTERM. Each file connects with
 * launchChromium() and works in contexts of its own.
 */
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './harness.js';

const server = await chromium.launchServer({ ...chromiumLaunchOptions(), host: '127.0.0.1' });
process.stdout.write(`${server.wsEndpoint()}\n`);
let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
};
process.stdin.on('end', () => void close());
process.stdin.on('close', () => void close());
process.stdin.resume();
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());
