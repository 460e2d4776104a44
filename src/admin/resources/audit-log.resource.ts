import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { AUDIT_ACTIONS } from '../../services/audit.js';
import { builtInActions, EVERYONE, NOBODY } from '../access.js';
import { KnexTable } from '../adapter/resource.js';
import { Components } from '../component-loader.js';
import { ADMINISTRATION } from './navigation.js';

const TARGET_TYPES = ['IP_ASSET', 'HOST', 'PROJECT', 'VENDOR', 'TAG', 'RANGE', 'USER', 'IMPORT_RUN', 'CONNECTOR'] as const;

/** The audit log: read-only for every logged-in user, newest first. */
export function auditLogResource(deps: AppDeps): ResourceWithOptions {
  return {
    resource: new KnexTable(deps.db, {
      id: 'audit_log',
      table: 'audit_log',
      writeRoles: NOBODY,
      columns: [
        { path: 'id', type: 'number', isId: true, sort: ['id'] },
        { path: 'created_at', sort: ['id'] },
        { path: 'username', filter: 'equals', sort: ['username'] },
        { path: 'action', availableValues: AUDIT_ACTIONS, filter: 'equals' },
        { path: 'target_type', availableValues: TARGET_TYPES, filter: 'equals' },
        { path: 'target_id', type: 'number' },
        { path: 'target_label', sort: ['target_label'] },
        { path: 'changes', type: 'textarea' },
        { path: 'client_address', filter: 'equals' },
        { path: 'user_agent' },
      ],
    }),
    options: {
      id: 'audit_log',
      navigation: ADMINISTRATION,
      titleProperty: 'target_label',
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['created_at', 'username', 'action', 'target_type', 'target_label', 'changes'],
      filterProperties: ['username', 'action', 'target_type', 'target_label', 'target_id', 'client_address'],
      showProperties: ['created_at', 'username', 'action', 'target_type', 'target_id', 'target_label', 'changes', 'client_address', 'user_agent'],
      properties: { changes: { isSortable: false, components: { list: Components.ClampedText } }, action: { components: { list: Components.ValueChip, show: Components.ValueChip } }, target_type: { components: { list: Components.ValueChip, show: Components.ValueChip } } },
      actions: builtInActions(EVERYONE, NOBODY),
    },
  };
}
