import type { Express } from 'express';
import type { AppDeps } from '../http/deps.js';

/** Mounts the AdminJS panel at /ui (and / → /ui). Placeholder until the panel issue lands. */
export async function mountPanel(_app: Express, _deps: AppDeps): Promise<void> {}
