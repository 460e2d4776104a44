import React from 'react';
import { Box, Button, FormGroup, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import { BuildInfoLine } from './build-info';

type LoginState = { action: string; errorMessage?: string | null };

/** Our login page: the ipocket name and logo, username + password, nothing from AdminJS's branding. */
const Login: React.FC = () => {
  const { action, errorMessage } = ((window as unknown as { __APP_STATE__?: LoginState }).__APP_STATE__ ?? { action: '/ui/login' }) as LoginState;
  const { translateMessage } = useTranslation();
  return (
    <Box flex flexDirection="column" alignItems="center" justifyContent="center" style={{ minHeight: '100vh', background: '#f1f5f9' }}>
      <Box as="form" action={action} method="POST" bg="white" p="xxl" style={{ width: 360, borderRadius: 12, boxShadow: '0 10px 30px rgba(15,23,42,0.12)' }}>
        <Box flex alignItems="center" mb="xl" style={{ gap: 12 }}>
          <img src="/ui/static/logo.svg" alt="" width={40} height={40} />
          <div>
            <div style={{ fontSize: 22, fontWeight: 600, color: '#0f172a' }}>ipocket</div>
            <div style={{ fontSize: 13, color: '#64748b' }}>Infrastructure inventory</div>
          </div>
        </Box>
        {errorMessage ? <MessageBox my="lg" message={translateMessage(errorMessage)} variant="danger" /> : null}
        <FormGroup>
          <Label required htmlFor="username">Username</Label>
          <Input id="username" name="username" autoComplete="username" autoFocus required style={{ width: '100%' }} />
        </FormGroup>
        <FormGroup>
          <Label required htmlFor="password">Password</Label>
          <Input id="password" type="password" name="password" autoComplete="current-password" required style={{ width: '100%' }} />
        </FormGroup>
        <Text mt="xl">
          <Button type="submit" variant="contained" style={{ width: '100%' }}>
            Log in
          </Button>
        </Text>
      </Box>
      <Box mt="lg">
        <BuildInfoLine />
      </Box>
    </Box>
  );
};

export default Login;
