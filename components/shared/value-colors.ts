import type { AssetType } from '../../src/domain/asset-types';
import type { Role } from '../../src/domain/roles';

/** Chip colours of enumerated values, one palette for every page (lists, detail, dashboard, audit log). */
const BY_TYPE: Record<AssetType, string> = { VM: '#bfdbfe', OS: '#bbf7d0', BMC: '#fde68a', VIP: '#e9d5ff', OTHER: '#e2e8f0' };
/** By asset type (every type has one: the Record above fails to compile when a type is added). */
export const TYPE_COLORS: Readonly<Record<string, string>> = BY_TYPE;
export const AUDIT_ACTION_COLORS: Record<string, string> = { CREATE: '#bbf7d0', UPDATE: '#bfdbfe', DELETE: '#fecaca', APPLY: '#e9d5ff', IMPORT_RUN: '#e9d5ff', LOGIN: '#e2e8f0', LOGOUT: '#e2e8f0', LOGIN_FAILED: '#fed7aa' };
const ROLE_COLORS: Record<Role, string> = { superuser: '#fecaca', editor: '#bfdbfe', viewer: '#e2e8f0' };

const VALUE_COLORS: Record<string, string> = { ...TYPE_COLORS, ...AUDIT_ACTION_COLORS, ...ROLE_COLORS };
/** The chip colour of any enumerated value (asset type, audit action, role); slate for anything else. */
export const valueColor = (value: string): string => VALUE_COLORS[value] ?? '#e2e8f0';
