import { Badge, Button, Code, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client';
import { TypeBadge } from '../components/TypeBadge';
import { Empty, ErrorAlert, QueryState } from '../components/states';
import { useConsole } from '../context';

const MAX_ROWS = 300;

/** Objects and fields as the org described them; refresh, and the drift report of that refresh. */
export function MetadataScreen() {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const objects = useQuery({
    queryKey: ['metadata-objects'],
    queryFn: () => unwrap(api.GET('/v1/metadata/objects')),
  });
  const [objectName, setObjectName] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const refresh = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/metadata/refresh', { body: {} })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['metadata-objects'] }),
        queryClient.invalidateQueries({ queryKey: ['maps'] }),
      ]),
  });
  return (
    <Stack component="section" aria-labelledby="metadata-title">
      <Group justify="space-between">
        <Title order={2} id="metadata-title">
          Metadata
        </Title>
        <Button onClick={() => refresh.mutate()} loading={refresh.isPending}>
          Refresh from Salesforce
        </Button>
      </Group>
      {refresh.error ? <ErrorAlert error={refresh.error} title="Refresh failed" /> : null}
      {refresh.data ? (
        <Stack gap={2} role="status">
          <Text size="sm">
            Refreshed {refresh.data.objects.length} objects: {refresh.data.changes.length} changes,{' '}
            {refresh.data.drift.length} maps broken.
          </Text>
          {refresh.data.changes.slice(0, 20).map((change, index) => (
            <Text size="xs" key={index}>
              {change.change} {change.object}
              {change.field ? `.${change.field}` : ''}
            </Text>
          ))}
          {refresh.data.drift.map((broken) => (
            <Text size="xs" c="red.8" key={broken.intent}>
              {broken.intent} v{broken.version} is broken
            </Text>
          ))}
        </Stack>
      ) : null}
      <QueryState query={objects} what="objects">
        {(list) => {
          if (list.length === 0) return <Empty>Nothing described yet: refresh from Salesforce.</Empty>;
          const object = list.find((o) => o.name === objectName) ?? list[0];
          const words = search.toLowerCase();
          const fields = object.fields.filter(
            (f) =>
              !words ||
              f.name.toLowerCase().includes(words) ||
              f.label.toLowerCase().includes(words) ||
              f.type.includes(words),
          );
          return (
            <Stack>
              <Group grow>
                <Select
                  label="Object"
                  data={list.map((o) => ({ value: o.name, label: `${o.name} (${o.fields.length} fields)` }))}
                  value={object.name}
                  onChange={setObjectName}
                  allowDeselect={false}
                  searchable
                />
                <TextInput
                  label="Search fields"
                  value={search}
                  onChange={(e) => setSearch(e.currentTarget.value)}
                />
              </Group>
              <Text size="sm">
                {fields.length} of {object.fields.length} fields · refreshed{' '}
                {new Date(object.refreshedAt).toLocaleString()}
              </Text>
              {fields.length === 0 ? (
                <Empty>
                  No field of {object.name} matches “{search}”.
                </Empty>
              ) : null}
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Field</Table.Th>
                      <Table.Th>Type</Table.Th>
                      <Table.Th>Access</Table.Th>
                      <Table.Th>Picklist values</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {fields.slice(0, MAX_ROWS).map((field) => (
                      <Table.Tr key={field.name}>
                        <Table.Td>
                          <Code>{field.name}</Code>{' '}
                          <Text span size="xs">
                            {field.label}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            <TypeBadge type={field.type} />
                            {field.externalId ? (
                              <Badge size="xs" color="dark">
                                external id
                              </Badge>
                            ) : null}
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs">
                            {[field.createable && 'createable', field.updateable && 'updateable']
                              .filter(Boolean)
                              .join(', ') || 'read-only'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs">{field.picklistValues.join(', ')}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}
