import React from 'react';
import { Box } from '@adminjs/design-system';
import { BuildInfoLine } from './build-info';

const link: React.CSSProperties = { display: 'block', fontSize: 13, color: '#1e40af', textDecoration: 'none', padding: '3px 0' };

/** Log out and build metadata at the bottom of the sidebar (Change password is the Account page above it). */
const SidebarFooter: React.FC = () => (
  <Box mt="lg" mb="md" px="lg" data-css="sidebar-footer">
    <Box mb="md" data-testid="account-links">
      <a href="/ui/logout" style={link}>
        Log out
      </a>
    </Box>
    <BuildInfoLine />
  </Box>
);

export default SidebarFooter;
