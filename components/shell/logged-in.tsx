import React from 'react';
import { Box, CurrentUserNav } from '@adminjs/design-system';

type Props = { session: { email?: string; username?: string; role?: string; title?: string }; paths: { logoutPath: string } };

/** The top-right user menu: who is logged in, with which role; change password and log out. */
const LoggedIn: React.FC<Props> = ({ session, paths }) => {
  const go = (href: string) => (event: Event): void => {
    event.preventDefault();
    window.location.href = href;
  };
  return (
    <Box flexShrink={0} data-css="logged-in">
      <CurrentUserNav
        name={session.username ?? session.email ?? ''}
        title={session.role ?? session.title}
        dropActions={[
          { label: 'Change password', onClick: go('/ui/pages/change-password'), icon: 'Key' },
          { label: 'Log out', onClick: go(paths.logoutPath), icon: 'LogOut' },
        ]}
      />
    </Box>
  );
};

export default LoggedIn;
