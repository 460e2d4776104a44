import type { PageHandler } from 'adminjs';
import { ValidationError } from '../domain/errors.js';
import type { AppDeps } from '../http/deps.js';
import { dashboardData } from '../services/dashboard.js';
import { deviceDashboard } from '../services/devices/stats.js';
import { servicesConfig } from '../plugins/catalog.js';
import { createServices } from '../services/index.js';
import { actorOf } from './access.js';

type Handler = PageHandler;

/** The dashboard's data: totals, every range's utilization, recent audit entries, the devices' charts (any logged-in user). */
export function dashboardHandler(deps: AppDeps): Handler {
  return async () => ({ ...(await dashboardData(deps.db)), devices: await deviceDashboard(deps.db) });
}

/** Every user changes their own password here, proving the current one (POST current/new/confirm). */
export function changePasswordHandler(deps: AppDeps): Handler {
  return async (request, _response, context) => {
    // Whether the user was sent here to choose a new password before anything else (the page says so).
    if (request.method !== 'post') return { must_change_password: !!(context.currentAdmin as { must_change_password?: boolean } | undefined)?.must_change_password };
    const payload = (request.payload ?? {}) as Record<string, unknown>;
    const text = (k: string): string => (typeof payload[k] === 'string' ? (payload[k] as string) : '');
    if (text('new_password') !== text('confirm_password')) {
      return { errors: { confirm_password: 'The two new passwords differ.' }, notice: { message: 'The two new passwords differ.', type: 'error' } };
    }
    try {
      // The session that proved the password stays; every other one and every API token ends.
      const sessionId = (request as { sessionID?: unknown }).sessionID;
      const current = typeof sessionId === 'string' ? { panelSessionId: sessionId } : {};
      await createServices({ db: deps.db, actor: actorOf(context.currentAdmin) }, servicesConfig(deps.config)).users.changeOwnPassword({ current_password: text('current_password'), new_password: text('new_password') }, current);
      return { ok: true, notice: { message: 'Your password was changed.', type: 'success' } };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = Object.fromEntries(err.issues.map((i) => [String(i.loc[1] ?? 'new_password'), i.msg]));
      return { errors, notice: { message: 'The password was not changed.', type: 'error' } };
    }
  };
}

/** What the Data Ops page needs up front: the upload cap (checked before sending) and the caller's role (Apply is for editors). */
export function dataOpsHandler(deps: AppDeps): Handler {
  return async (_request, _response, context) => ({
    maxUploadBytes: deps.config.maxUploadBytes,
    role: (context.currentAdmin as { role?: string } | undefined)?.role ?? 'viewer',
    username: (context.currentAdmin as { username?: string } | undefined)?.username ?? null,
  });
}

/** What the Connectors page needs up front: the caller's role (changing configurations and Apply are for editors). */
export function connectorsHandler(): Handler {
  return async (_request, _response, context) => ({ role: (context.currentAdmin as { role?: string } | undefined)?.role ?? 'viewer' });
}
