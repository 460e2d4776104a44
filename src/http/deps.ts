import 'express-session';
import type { Knex } from 'knex';
import type { AppConfig } from '../config.js';

/** What every HTTP surface is built from (the composition root passes it down). */
export interface AppDeps {
  config: AppConfig;
  db: Knex;
}

/** The logged-in user as the panel session stores it (`req.session.adminUser`, set by AdminJS login). */
export interface SessionUser {
  id: number;
  username: string;
  role: 'viewer' | 'editor' | 'superuser';
  /** Set while the user must choose a new password: the panel shows only the change-password page. */
  must_change_password?: boolean;
}

declare module 'express-session' {
  interface SessionData {
    adminUser?: SessionUser;
  }
}
