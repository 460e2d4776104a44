import type { Locale } from 'adminjs';

const timestamps = { created_at: 'Created (UTC)', updated_at: 'Updated (UTC)' };

/** Our labels for AdminJS (English only): resource names, field labels, login and messages. */
export const panelLocale: Locale = {
  language: 'en',
  availableLanguages: ['en'],
  localeDetection: false,
  translations: {
    en: {
      labels: {
        ip_assets: 'IP assets',
        hosts: 'Hosts',
        ranges: 'Ranges',
        projects: 'Projects',
        tags: 'Tags',
        vendors: 'Vendors',
        users: 'Users',
        audit_log: 'Audit log',
        // Issue 14.
        devices: 'Devices',
        owners: 'Owners',
        custom_fields: 'Custom fields',
        navigation: 'Navigation',
        pages: 'Tools & account',
        'change-password': 'Change password',
        dashboard: 'Overview',
      },
      actions: { archive: 'Archive', show: 'Details', new: 'Create new', edit: 'Edit', delete: 'Delete' },
      buttons: { logout: 'Log out' },
      messages: {
        archiveGuard: 'Archive this IP asset? It leaves the list but keeps its history and can be restored by adding it again.',
        assetArchived: 'The IP asset was archived.',
        invalidCredentials: 'Wrong username or password.',
        tooManyRequests: 'Too many failed logins for this user or from this address; wait 15 minutes and try again.',
        forbiddenError: 'Your role does not allow this.',
        anyForbiddenError: 'Your role does not allow this.',
      },
      components: {
        Login: { welcomeHeader: 'ipocket', welcomeMessage: 'Infrastructure inventory', loginButton: 'Log in', properties: { email: 'Username', password: 'Password' } },
      },
      pages: { 'change-password': 'Change password', 'data-ops': 'Data Ops', connectors: 'Connectors', 'ip-pools': 'IP pools', 'pool-dashboard': 'Pools dashboard', 'ip-conflicts': 'IP conflicts', 'device-changes': 'Device changes', 'netbox-sync': 'NetBox Sync' },
      resources: {
        ip_assets: {
          actions: { list: 'IP assets' },
          properties: { ip_address: 'IP address', type: 'Type', project_id: 'Project', host_id: 'Host', tags: 'Tags', notes: 'Notes', archived: 'Archived', last_seen_at: 'Last seen (UTC)', ...timestamps },
        },
        hosts: { actions: { list: 'Hosts' }, properties: { name: 'Name', vendor_id: 'Vendor', ip_count: 'Linked IPs', notes: 'Notes', ...timestamps } },
        ranges: {
          actions: { list: 'Ranges' },
          properties: { name: 'Name', cidr: 'CIDR', ip_version: 'IP version', usable: 'Usable', used: 'Used', free: 'Free', utilization: 'Utilization', notes: 'Notes', ...timestamps },
        },
        projects: { actions: { list: 'Projects' }, properties: { name: 'Name', color: 'Colour', description: 'Description', ip_count: 'IPs', ...timestamps } },
        tags: { actions: { list: 'Tags' }, properties: { name: 'Name', color: 'Colour', ip_count: 'IPs', ...timestamps } },
        vendors: { actions: { list: 'Vendors' }, properties: { name: 'Name', ip_count: 'IPs', ...timestamps } },
        users: { actions: { list: 'Users' }, properties: { username: 'Username', role: 'Role', is_active: 'Active', full_name: 'Full name', email: 'Email', designation: 'Designation', department: 'Department', must_change_password: 'Must change password', last_login_at: 'Last login', password: 'Password', ...timestamps } },
        audit_log: {
          actions: { list: 'Audit log' },
          properties: { created_at: 'When (UTC)', username: 'User', action: 'Action', target_type: 'Target type', target_id: 'Target id', target_label: 'Target', changes: 'Changes', client_address: 'Client address', user_agent: 'User agent' },
        },
      },
    },
  },
};
