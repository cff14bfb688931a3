import { Alert, Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client';
import { Empty, ErrorAlert, QueryState } from '../components/states';
import { useConsole } from '../context';

const PAGE_SIZE = 50;

/** The audit log: filters, cursor paging, and "verify chain" with its answer. */
export function AuditScreen() {
  const { api } = useConsole();
  const [filters, setFilters] = useState({ action: '', writeId: '', since: '', until: '' });
  const [applied, setApplied] = useState(filters);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ['audit', applied, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/audit', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(applied.action ? { action: applied.action } : {}),
              ...(applied.writeId ? { writeId: applied.writeId } : {}),
              ...(applied.since ? { since: new Date(applied.since).toISOString() } : {}),
              ...(applied.until ? { until: new Date(applied.until).toISOString() } : {}),
              ...(cursor ? { cursor: Number(cursor) } : {}),
            },
          },
        }),
      ),
  });
  const verify = useMutation({ mutationFn: () => unwrap(api.GET('/v1/audit/verify')) });
  return (
    <Stack component="section" aria-labelledby="audit-title">
      <Group justify="space-between">
        <Title order={2} id="audit-title">
          Audit log
        </Title>
        <Button onClick={() => verify.mutate()} loading={verify.isPending}>
          Verify chain
        </Button>
      </Group>
      {verify.data ? (
        <Alert
          color={verify.data.ok ? 'green' : 'red'}
          role="status"
          title={verify.data.ok ? 'Chain verified' : 'Chain broken'}
        >
          {verify.data.ok
            ? `All ${verify.data.entries} entries hold: nothing was changed or removed.`
            : `The first entry that does not hold: ${verify.data.firstBadId}`}
        </Alert>
      ) : null}
      {verify.error ? <ErrorAlert error={verify.error} /> : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([]);
          setApplied(filters);
        }}
      >
        <Group align="end">
          <TextInput
            label="Action"
            placeholder="mapping.intent-map.saved"
            value={filters.action}
            onChange={(e) => setFilters({ ...filters, action: e.currentTarget.value })}
          />
          <TextInput
            label="Write id"
            value={filters.writeId}
            onChange={(e) => setFilters({ ...filters, writeId: e.currentTarget.value })}
          />
          <TextInput
            label="Since"
            type="datetime-local"
            value={filters.since}
            onChange={(e) => setFilters({ ...filters, since: e.currentTarget.value })}
          />
          <TextInput
            label="Until"
            type="datetime-local"
            value={filters.until}
            onChange={(e) => setFilters({ ...filters, until: e.currentTarget.value })}
          />
          <Button type="submit" variant="default">
            Filter
          </Button>
        </Group>
      </form>
      <QueryState query={page} what="audit entries">
        {(data) =>
          data.entries.length === 0 ? (
            <Empty>No entries match.</Empty>
          ) : (
            <Stack>
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>#</Table.Th>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Action</Table.Th>
                      <Table.Th>Subject</Table.Th>
                      <Table.Th>Actor</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.entries.map((entry) => (
                      <Table.Tr key={entry.id}>
                        <Table.Td>{entry.seq}</Table.Td>
                        <Table.Td>{new Date(entry.occurredAt).toLocaleString()}</Table.Td>
                        <Table.Td>
                          <Code>{entry.action}</Code>
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs">
                            {entry.subjectType} {entry.subjectId}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs">
                            {typeof entry.actor.role === 'string' ? entry.actor.role : ''}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group>
                <Button
                  variant="default"
                  disabled={!cursors.length}
                  onClick={() => setCursors(cursors.slice(0, -1))}
                >
                  Previous page
                </Button>
                <Button
                  variant="default"
                  disabled={!data.nextCursor}
                  onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
                >
                  Next page
                </Button>
              </Group>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
