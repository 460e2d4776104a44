import React, { useEffect, useState } from 'react';
import { Box, Button, FormGroup, FormMessage, H2, Input, Label, MessageBox } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

type Result = { ok?: boolean; errors?: Record<string, string>; notice?: { message: string; type: string } };

const FIELDS = [
  { name: 'current_password', label: 'Current password', autoComplete: 'current-password' },
  { name: 'new_password', label: 'New password (at least 8 characters)', autoComplete: 'new-password' },
  { name: 'confirm_password', label: 'New password again', autoComplete: 'new-password' },
];

/**
 * Every user's own password change: current password, new one twice. A user who must choose a new
 * password (first admin, reset by a superuser) is sent here by the server, told why, and taken to
 * the dashboard once it is changed.
 */
const ChangePassword: React.FC = () => {
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [required, setRequired] = useState(false);
  useEffect(() => {
    new ApiClient()
      .getPage<{ must_change_password?: boolean }>({ pageName: 'change-password' })
      .then((res) => setRequired(!!res.data.must_change_password))
      .catch(() => undefined);
  }, []);
  const submit = async (event: React.FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    try {
      const res = await new ApiClient().getPage<Result>({ pageName: 'change-password', method: 'post', data: new FormData(form) });
      setResult(res.data);
      if (res.data.ok) form.reset();
      if (res.data.ok && required) window.location.assign('/ui');
    } catch {
      setResult({ notice: { message: 'The server could not be reached.', type: 'error' } });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box variant="grey">
      <Box bg="white" p="xxl" style={{ maxWidth: 480, borderRadius: 10 }}>
        <H2 mb="xl">Change password</H2>
        {required && !result?.ok ? (
          <MessageBox mb="lg" variant="info" data-testid="password-required" message="You must choose a new password before you can use ipocket. Enter the password you logged in with, then a new one." />
        ) : null}
        {result?.notice ? <MessageBox mb="lg" message={result.notice.message} variant={result.notice.type === 'success' ? 'success' : 'danger'} data-testid="password-notice" /> : null}
        <form onSubmit={submit}>
          {FIELDS.map((f) => (
            <FormGroup key={f.name} error={!!result?.errors?.[f.name]}>
              <Label required htmlFor={f.name}>
                {f.label}
              </Label>
              <Input id={f.name} name={f.name} type="password" autoComplete={f.autoComplete} required style={{ width: '100%' }} />
              <FormMessage>{result?.errors?.[f.name]}</FormMessage>
            </FormGroup>
          ))}
          <Button type="submit" variant="contained" disabled={busy} mt="lg">
            Change password
          </Button>
        </form>
      </Box>
    </Box>
  );
};

export default ChangePassword;
