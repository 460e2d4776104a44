import path from 'node:path';
import { projectRoot } from '../build-info.js';

/** Where the panel is mounted. */
export const ROOT_PATH = '/ui';

/** Our own static files (logo, favicon, CSS), shipped with the components. */
export const STATIC_DIR = path.join(projectRoot(), 'components', 'assets');
