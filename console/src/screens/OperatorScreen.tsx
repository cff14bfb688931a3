import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap, type Schemas } from '../api/client';
import { Empty, ErrorAlert, QueryState } from '../components/states';
import { useConsole } from '../context';

/** The operator's view: tenants, and each tenant's keys (issue with the secret shown once, revoke). */
export function OperatorScreen() {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => unwrap(api.GET('/v1/tenants')) });
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [region, setRegion] = useState<'us' | 'eu' | 'ap'>('us');
  const createTenant = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/tenants', { body: { name, region } })),
    onSuccess: async (tenant) => {
      setName('');
      setSelected(tenant.id);
      await queryClient.invalidateQueries({ queryKey: ['tenants'] });
    },
  });
  return (
    <Stack component="section" aria-labelledby="operator-title">
      <Title order={2} id="operator-title">
        Tenants
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          createTenant.mutate();
        }}
      >
        <Group align="end">
          <TextInput
            label="New tenant name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            required
          />
          <Select
            label="Region"
            data={['us', 'eu', 'ap']}
            value={region}
            onChange={(value) => setRegion((value as typeof region) ?? 'us')}
            allowDeselect={false}
            w={100}
          />
          <Button type="submit" loading={createTenant.isPending} disabled={!name.trim()}>
            Create tenant
          </Button>
        </Group>
      </form>
      {createTenant.error ? <ErrorAlert error={createTenant.error} /> : null}
      <QueryState query={tenants} what="tenants">
        {(list) =>
          list.length === 0 ? (
            <Empty>No tenants yet.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Region</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Keys</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((tenant) => (
                    <Table.Tr key={tenant.id}>
                      <Table.Td>{tenant.name}</Table.Td>
                      <Table.Td>{tenant.region}</Table.Td>
                      <Table.Td>{new Date(tenant.createdAt).toLocaleString()}</Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="light" onClick={() => setSelected(tenant.id)}>
                          Keys of {tenant.name}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      {selected ? (
        <TenantKeys tenant={tenants.data?.find((tenant) => tenant.id === selected)} tenantId={selected} />
      ) : null}
    </Stack>
  );
}

function TenantKeys({ tenantId, tenant }: { tenantId: string; tenant?: Schemas['TenantResponse'] }) {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: ['tenant-keys', tenantId],
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/api-keys', { params: { path: { tenantId } } })),
  });
  const [role, setRole] = useState<'admin' | 'agent'>('admin');
  const [label, setLabel] = useState('');
  const [issued, setIssued] = useState<Schemas['IssuedApiKeyResponse'] | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['tenant-keys', tenantId] });
  const issue = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/tenants/{tenantId}/api-keys', {
          params: { path: { tenantId } },
          body: { role, ...(label.trim() ? { label: label.trim() } : {}) },
        }),
      ),
    onSuccess: async (key) => {
      setIssued(key);
      setLabel('');
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      unwrap(
        api.DELETE('/v1/tenants/{tenantId}/api-keys/{keyId}', { params: { path: { tenantId, keyId } } }),
      ),
    onSuccess: refresh,
  });
  return (
    <Stack component="section" aria-labelledby="keys-title">
      <Title order={3} id="keys-title">
        Keys of {tenant?.name ?? tenantId}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          issue.mutate();
        }}
      >
        <Group align="end">
          <Select
            label="Role"
            data={['admin', 'agent']}
            value={role}
            onChange={(value) => setRole((value as typeof role) ?? 'admin')}
            allowDeselect={false}
            w={120}
          />
          <TextInput label="Label" value={label} onChange={(event) => setLabel(event.currentTarget.value)} />
          <Button type="submit" loading={issue.isPending}>
            Create key
          </Button>
        </Group>
      </form>
      {issue.error ? <ErrorAlert error={issue.error} /> : null}
      {revoke.error ? <ErrorAlert error={revoke.error} /> : null}
      <Modal opened={issued !== null} onClose={() => setIssued(null)} title="New key: copy it now">
        {issued ? (
          <Stack>
            <Alert color="yellow" variant="light">
              This is the only time the key is shown. Only its hash is stored.
            </Alert>
            <Code block tabIndex={0} data-testid="issued-key">
              {issued.key}
            </Code>
            <CopyButton value={issued.key}>
              {({ copied, copy }) => (
                <Button onClick={copy} color={copied ? 'teal' : 'blue'}>
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        ) : null}
      </Modal>
      <QueryState query={keys} what="keys">
        {(list) =>
          list.length === 0 ? (
            <Empty>No keys yet.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Label</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Action</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((key) => (
                    <Table.Tr key={key.id}>
                      <Table.Td>
                        <Code>{key.keyPrefix}…</Code>
                      </Table.Td>
                      <Table.Td>{key.role}</Table.Td>
                      <Table.Td>{key.label ?? ''}</Table.Td>
                      <Table.Td>
                        {key.revokedAt ? (
                          <Badge color="gray">revoked</Badge>
                        ) : (
                          <Badge color="green">active</Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {key.revokedAt ? (
                          <Text size="xs" c="gray.7">
                            {new Date(key.revokedAt).toLocaleString()}
                          </Text>
                        ) : (
                          <Button
                            size="xs"
                            color="red"
                            variant="light"
                            onClick={() => revoke.mutate(key.id)}
                            aria-label={`Revoke key ${key.keyPrefix}`}
                          >
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Stack>
  );
}
