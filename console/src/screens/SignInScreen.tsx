import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError, createApiClient, unwrap } from '../api/client';
import { ErrorAlert } from '../components/states';
import type { Session } from '../session';

/**
 * Which console a key opens: an admin key (its tenant's screens) or the operator key (tenants and keys). Agent
 * keys are refused: they are for calls, not for configuration.
 */
export async function identify(
  key: string,
  baseUrl = '',
  fetchImplementation?: typeof fetch,
): Promise<Session> {
  const api = createApiClient(() => key, baseUrl, fetchImplementation);
  try {
    const tenant = await unwrap(api.GET('/v1/tenant'));
    await unwrap(api.GET('/v1/api-keys')).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 403) {
        throw new ApiError(
          403,
          'AGENT_KEY',
          'This is an agent key: sign in with an admin key',
          error.requestId,
        );
      }
      throw error;
    });
    return { key, role: 'admin', label: tenant.name };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403 || error.code === 'AGENT_KEY') throw error;
  }
  await unwrap(api.GET('/v1/tenants'));
  return { key, role: 'operator', label: 'Operator' };
}

export function SignInScreen({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w="100%" maw={420} component="main">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setBusy(true);
            setError(null);
            identify(key.trim())
              .then(onSignedIn)
              .catch(setError)
              .finally(() => setBusy(false));
          }}
        >
          <Stack>
            <Title order={1} size="h3">
              AICall connector console
            </Title>
            <Text size="sm" c="gray.7">
              Sign in with your tenant&apos;s admin key (or the operator key). It is kept in this tab only and
              forgotten when you sign out.
            </Text>
            <PasswordInput
              label="API key"
              placeholder="aick_admin_…"
              value={key}
              onChange={(event) => setKey(event.currentTarget.value)}
              autoComplete="off"
              required
            />
            {error ? <ErrorAlert error={error} title="Sign-in failed" /> : null}
            <Button type="submit" loading={busy} disabled={!key.trim()}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
