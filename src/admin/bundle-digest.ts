import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../build-info.js';

/** The file beside bundle.js naming the sources it was bundled from (written by `npm run build`). */
export const DIGEST_FILE = 'sources.digest';

/**
 * A digest of everything the component bundle is made from (components, sources, locked
 * packages): the e2e harness reuses the build's bundle, or its own, only when this matches.
 */
export function bundleSourcesDigest(root: string = projectRoot()): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(path.relative(root, file)).update(readFileSync(file));
    }
  };
  for (const dir of ['components', 'src']) walk(path.join(root, dir));
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}
