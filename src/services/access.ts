import type { Actor, Role } from './context.js';

/**
 * Who may do what: the one policy the API route table, the panel's actions and the services
 * read. A rule about roles that is not written here is written twice somewhere.
 *
 * Levels: `public`: anyone; `read`: anyone unless IPOCKET_REQUIRE_LOGIN_FOR_READ; `login`: any
 * logged-in user; `editor`: inventory writes (a Viewer or a Superuser gets 403, as in the
 * original); `superuser`: user management.
 */
export type Access = 'public' | 'read' | 'login' | 'editor' | 'superuser';

interface Level {
  /** Whether a caller without a login passes (`read`: only while reads are public). */
  anonymous: boolean | 'unless-login-for-read';
  /** The roles a logged-in caller needs. */
  roles: readonly Role[];
}

/** The one table of the levels and the roles each admits. */
export const ACCESS: Readonly<Record<Access, Level>> = {
  public: { anonymous: true, roles: ['viewer', 'editor', 'superuser'] },
  read: { anonymous: 'unless-login-for-read', roles: ['viewer', 'editor', 'superuser'] },
  login: { anonymous: false, roles: ['viewer', 'editor', 'superuser'] },
  // Inventory writes are the Editor's alone; a Superuser manages users, not data (as in the original).
  editor: { anonymous: false, roles: ['editor'] },
  superuser: { anonymous: false, roles: ['superuser'] },
};

type Verdict = 'allowed' | 'unauthorized' | 'forbidden';

/** Whether a caller (null: anonymous) passes a level: 401 and 403 are told apart here, once. */
export function check(access: Access, actor: Actor | null | undefined, opts: { requireLoginForRead: boolean }): Verdict {
  const level = ACCESS[access];
  if (!actor) {
    const open = level.anonymous === 'unless-login-for-read' ? !opts.requireLoginForRead : level.anonymous;
    return open ? 'allowed' : 'unauthorized';
  }
  return level.roles.includes(actor.role) ? 'allowed' : 'forbidden';
}

/** True when a logged-in role holds a level (the panel's actions: everyone there is logged in). */
function roleHas(access: Access, role: Role | string | undefined): boolean {
  return !!role && (ACCESS[access].roles as readonly string[]).includes(role);
}

/** The 403 text for a level a role lacks. */
export function refusal(access: Access): string {
  return `This needs the ${ACCESS[access].roles.join(' or ')} role.`;
}

/**
 * Any logged-in user may preview (dry-run) an import or a connector run; applying it writes
 * inventory, so it needs the editor level.
 */
export function canApply(actor: Actor | null | undefined, dryRun: boolean): boolean {
  if (!actor) return false;
  return dryRun || roleHas('editor', actor.role);
}

/**
 * An ad-hoc connector run makes the server call a URL of the caller's choosing, so it needs the
 * editor level even as a dry-run; other roles dry-run saved configurations instead.
 */
export function canRunAdHocConnector(actor: Actor | null | undefined): boolean {
  return !!actor && roleHas('editor', actor.role);
}
