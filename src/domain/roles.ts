/** The user roles, lowest first: Viewer reads, Editor writes inventory, Superuser manages users. */
export const ROLES = ['viewer', 'editor', 'superuser'] as const;
export type Role = (typeof ROLES)[number];
