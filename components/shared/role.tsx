import React from 'react';
import { useCurrentAdmin } from 'adminjs';
import type { Role } from '../../src/domain/roles';

export type { Role };

/** The signed-in role. Inventory writes are the editor's (a superuser manages users, as the API's role table says). */
export function useRole(): { role: Role; canWrite: boolean } {
  const [admin] = useCurrentAdmin();
  const role = ((admin as { role?: string } | null)?.role ?? 'viewer') as Role;
  return { role, canWrite: role === 'editor' };
}

export const EDITOR_COMMAND = 'npm run ipocket -- user create alice --role editor';

/**
 * Shown to superusers on inventory pages: the quick start's only account is a superuser, who
 * finds no Add button anywhere and, without this, no reason why.
 */
export const SuperuserBanner: React.FC<{ role: Role }> = ({ role }) =>
  role === 'superuser' ? (
    <div className="ipk-banner" role="note" data-testid="superuser-banner">
      You are signed in as a superuser: superusers manage users but do not edit inventory. Create an editor account (<a href="/ui/resources/users">Users</a>, or <code>{EDITOR_COMMAND}</code>) and sign in as it to add IPs, hosts and ranges.
    </div>
  ) : null;

/** For an empty list seen by someone who cannot fill it: who can. */
export function whoCanAdd(role: Role, what: string): string {
  return role === 'superuser' ? `Editors add ${what}; superusers do not edit inventory. Sign in as an editor to add some.` : `Editors add ${what}. Ask one, or a superuser for the editor role.`;
}
