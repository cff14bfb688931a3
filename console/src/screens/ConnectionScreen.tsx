import {
  Badge,
  Button,
  Card,
  Group,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  PasswordInput,
  Title,
  Alert,
  Code,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, unwrap, type Schemas } from '../api/client';
import { ErrorAlert, Loading } from '../components/states';
import { useConsole } from '../context';
import { useRoute } from '../router';

/** Where an admin signs in to Salesforce: production, sandbox, or the org's My Domain. */
export const ENVIRONMENTS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
} as const;
type Environment = keyof typeof ENVIRONMENTS | 'mydomain';
type Flow = 'web_server' | 'client_credentials' | 'jwt_bearer';

export function loginUrlFor(environment: Environment, myDomain: string): string {
  return environment === 'mydomain' ? myDomain.trim() : ENVIRONMENTS[environment];
}

/** The daily API allowance above which non-critical writes are held back (README "When a write fails"). */
export const HOLD_LINE = 0.9;

const STATUS_COLORS: Record<string, string> = {
  connected: 'green',
  needs_reauthorization: 'orange',
  disconnected: 'gray',
};

export function ConnectionScreen() {
  const { api } = useConsole();
  const route = useRoute();
  const connection = useQuery({
    queryKey: ['connection'],
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/v1/connection'));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOT_CONNECTED') return null;
        throw error;
      }
    },
  });
  const oauth = route.params.get('oauth');
  return (
    <Stack component="section" aria-labelledby="connection-title">
      <Title order={2} id="connection-title">
        Salesforce connection
      </Title>
      {oauth === 'connected' ? (
        <Alert color="green" title="Connected with Salesforce" role="status">
          The org authorized the connector.
        </Alert>
      ) : null}
      {oauth === 'failed' ? (
        <ErrorAlert
          title="Salesforce did not connect"
          error={
            new ApiError(
              422,
              route.params.get('code') ?? 'OAUTH_FAILED',
              route.params.get('message') ?? 'The authorization failed',
              route.params.get('requestId'),
            )
          }
        />
      ) : null}
      {connection.isPending ? <Loading what="the connection" /> : null}
      {connection.error ? <ErrorAlert error={connection.error} /> : null}
      {connection.data ? <ConnectionCard connection={connection.data} /> : null}
      {connection.data === null ? (
        <Badge color="gray" size="lg" aria-label="status disconnected">
          disconnected
        </Badge>
      ) : null}
      {connection.isSuccess ? <ConnectForm reauthorize={connection.data !== null} /> : null}
    </Stack>
  );
}

function ConnectionCard({ connection }: { connection: Schemas['ConnectionResponse'] }) {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const preflight = useQuery({ queryKey: ['preflight'], queryFn: () => unwrap(api.GET('/v1/preflight')) });
  const disconnect = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/connection')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['connection'] }),
  });
  const usage = preflight.data?.apiUsage;
  const share = usage ? usage.used / usage.limit : 0;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Badge
            color={STATUS_COLORS[connection.status] ?? 'gray'}
            size="lg"
            aria-label={`status ${connection.status}`}
          >
            {connection.status.replace('_', ' ')}
          </Badge>
          <Button
            color="red"
            variant="light"
            loading={disconnect.isPending}
            onClick={() => {
              if (window.confirm('Revoke the tokens at Salesforce and disconnect?')) disconnect.mutate();
            }}
          >
            Disconnect
          </Button>
        </Group>
        {connection.statusReason ? <Text c="orange">{connection.statusReason}</Text> : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Text size="sm">
            Instance: <b>{connection.instance}</b> ({connection.instanceUrl})
          </Text>
          <Text size="sm">
            Region: <b>{connection.region}</b>
          </Text>
          <Text size="sm">
            Flow: <b>{connection.flow}</b>, profile <b>{connection.profile}</b>
          </Text>
          <Text size="sm">
            Scopes granted: <Code>{connection.scopes.join(' ')}</Code>
          </Text>
          <Text size="sm">Connected: {new Date(connection.connectedAt).toLocaleString()}</Text>
          <Text size="sm">
            Last refresh:{' '}
            {connection.lastRefreshedAt ? new Date(connection.lastRefreshedAt).toLocaleString() : 'never'}
          </Text>
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="sm" id="usage-label">
            Daily API usage{' '}
            {usage ? `${usage.used.toLocaleString()} of ${usage.limit.toLocaleString()}` : '(measuring…)'} ·
            hold line at {HOLD_LINE * 100} %
          </Text>
          <Progress.Root size="lg" aria-labelledby="usage-label">
            <Progress.Section
              value={Math.min(share, HOLD_LINE) * 100}
              color="teal"
              aria-label="API usage below the hold line"
            />
            <Progress.Section
              value={Math.max(share - HOLD_LINE, 0) * 100}
              color="red"
              aria-label="API usage above the hold line"
            />
          </Progress.Root>
        </Stack>
        {disconnect.error ? <ErrorAlert error={disconnect.error} /> : null}
      </Stack>
    </Card>
  );
}

function ConnectForm({ reauthorize }: { reauthorize: boolean }) {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const [environment, setEnvironment] = useState<Environment>('production');
  const [myDomain, setMyDomain] = useState('');
  const [flow, setFlow] = useState<Flow>('web_server');
  const [profile, setProfile] = useState<'standard' | 'extended' | 'privileged'>('standard');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [username, setUsername] = useState('');
  const [privateKeyPem, setPrivateKeyPem] = useState('');
  const loginUrl = loginUrlFor(environment, myDomain);
  // Client credentials run against the org's own My Domain host; the web-server flow works with any.
  const needsMyDomain = flow === 'client_credentials' && environment !== 'mydomain';

  const connect = useMutation({
    mutationFn: async () => {
      if (flow === 'web_server') {
        const { authorizeUrl } = await unwrap(
          api.POST('/v1/connection/oauth/start', {
            body: {
              loginUrl,
              profile,
              clientId,
              ...(clientSecret ? { clientSecret } : {}),
              redirectUri: `${window.location.origin}/v1/connection/oauth/callback`,
            },
          }),
        );
        window.location.assign(authorizeUrl);
        return;
      }
      await unwrap(
        api.PUT('/v1/connection', {
          body:
            flow === 'client_credentials'
              ? { flow, loginUrl, profile, clientId, clientSecret }
              : { flow, loginUrl, profile, clientId, username, privateKeyPem },
        }),
      );
      setClientSecret('');
      setPrivateKeyPem('');
      await queryClient.invalidateQueries({ queryKey: ['connection'] });
    },
  });

  return (
    <Card
      withBorder
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        connect.mutate();
      }}
    >
      <Stack>
        <Title order={3}>{reauthorize ? 'Reauthorize or reconnect' : 'Connect your org'}</Title>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="environment-label">
            Environment
          </Text>
          <SegmentedControl
            aria-labelledby="environment-label"
            value={environment}
            onChange={(value) => setEnvironment(value)}
            data={[
              { value: 'production', label: 'Production' },
              { value: 'sandbox', label: 'Sandbox' },
              { value: 'mydomain', label: 'My Domain' },
            ]}
          />
        </Stack>
        {environment === 'mydomain' ? (
          <TextInput
            label="My Domain URL"
            placeholder="https://acme.my.salesforce.com"
            value={myDomain}
            onChange={(event) => setMyDomain(event.currentTarget.value)}
            required
          />
        ) : null}
        <Select
          label="Flow"
          value={flow}
          onChange={(value) => setFlow((value as Flow) ?? 'web_server')}
          allowDeselect={false}
          data={[
            { value: 'web_server', label: 'Connect with Salesforce (web-server flow, PKCE)' },
            { value: 'client_credentials', label: 'Client credentials' },
            { value: 'jwt_bearer', label: 'JWT bearer' },
          ]}
        />
        <Select
          label="Scope profile"
          value={profile}
          onChange={(value) => setProfile((value as typeof profile) ?? 'standard')}
          allowDeselect={false}
          data={['standard', 'extended', 'privileged']}
        />
        <TextInput
          label="Consumer key (client id)"
          value={clientId}
          onChange={(event) => setClientId(event.currentTarget.value)}
          required
        />
        {flow !== 'jwt_bearer' ? (
          <PasswordInput
            label={flow === 'web_server' ? 'Consumer secret (optional with PKCE)' : 'Consumer secret'}
            value={clientSecret}
            onChange={(event) => setClientSecret(event.currentTarget.value)}
            required={flow === 'client_credentials'}
            autoComplete="off"
          />
        ) : (
          <>
            <TextInput
              label="Salesforce username"
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
              required
            />
            <Textarea
              label="Private key (PEM)"
              value={privateKeyPem}
              onChange={(event) => setPrivateKeyPem(event.currentTarget.value)}
              autosize
              minRows={3}
              required
            />
          </>
        )}
        {needsMyDomain ? (
          <Alert color="yellow" variant="light">
            Client credentials need your org&apos;s My Domain URL (Salesforce refuses them at the login
            hosts).
          </Alert>
        ) : null}
        {connect.error ? <ErrorAlert error={connect.error} title="Not connected" /> : null}
        <Group>
          <Button type="submit" loading={connect.isPending} disabled={needsMyDomain || !clientId}>
            {flow === 'web_server' ? 'Connect with Salesforce' : 'Connect'}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
