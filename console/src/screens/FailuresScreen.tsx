import {
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  SegmentedControl,
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

type DeadLetter = Schemas['DeadLetterView'];

/** Filters the dead letters by intent, error code and time (the API filters by status). */
export function filterDeadLetters(
  list: DeadLetter[],
  filter: { intent: string; errorCode: string; since: string },
): DeadLetter[] {
  return list.filter(
    (item) =>
      (!filter.intent || item.intent.includes(filter.intent)) &&
      (!filter.errorCode || item.errorCode.toLowerCase().includes(filter.errorCode.toLowerCase())) &&
      (!filter.since || new Date(item.createdAt) >= new Date(filter.since)),
  );
}

export function FailuresScreen() {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'open' | 'replayed'>('open');
  const [filter, setFilter] = useState({ intent: '', errorCode: '', since: '' });
  const [selected, setSelected] = useState<string[]>([]);
  const [detailId, setDetailId] = useState<string | null>(null);
  const deadLetters = useQuery({
    queryKey: ['dead-letters', status],
    queryFn: () => unwrap(api.GET('/v1/dead-letters', { params: { query: { status } } })),
  });
  const replay = useMutation({
    mutationFn: (ids: string[]) => unwrap(api.POST('/v1/dead-letters/replay', { body: { ids } })),
    onSuccess: async () => {
      setSelected([]);
      await queryClient.invalidateQueries({ queryKey: ['dead-letters'] });
    },
  });
  return (
    <Stack component="section" aria-labelledby="failures-title">
      <Title order={2} id="failures-title">
        Failures
      </Title>
      <Group align="end">
        <SegmentedControl
          aria-label="Dead letter status"
          value={status}
          onChange={(value) => setStatus(value)}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'replayed', label: 'Replayed' },
          ]}
        />
        <TextInput
          label="Intent"
          value={filter.intent}
          onChange={(e) => setFilter({ ...filter, intent: e.currentTarget.value })}
        />
        <TextInput
          label="Error code"
          value={filter.errorCode}
          onChange={(e) => setFilter({ ...filter, errorCode: e.currentTarget.value })}
        />
        <TextInput
          label="Since"
          type="datetime-local"
          value={filter.since}
          onChange={(e) => setFilter({ ...filter, since: e.currentTarget.value })}
        />
      </Group>
      {replay.data ? (
        <Text c="green.8" role="status">
          Replay accepted for {replay.data.writeIds.length} write(s): {replay.data.writeIds.join(', ')}
        </Text>
      ) : null}
      {replay.error ? <ErrorAlert error={replay.error} title="Replay refused" /> : null}
      <QueryState query={deadLetters} what="dead letters">
        {(data) => {
          const shown = filterDeadLetters(data.deadLetters, filter);
          if (shown.length === 0)
            return (
              <Empty>
                No {status} dead letters
                {filter.intent || filter.errorCode || filter.since ? ' match the filters' : ''}.
              </Empty>
            );
          return (
            <Stack>
              {status === 'open' ? (
                <Group>
                  <Button
                    disabled={!selected.length}
                    loading={replay.isPending}
                    onClick={() => replay.mutate(selected)}
                  >
                    Replay {selected.length} selected
                  </Button>
                </Group>
              ) : null}
              <Table.ScrollContainer minWidth={640}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Select</Table.Th>
                      <Table.Th>Intent</Table.Th>
                      <Table.Th>Error</Table.Th>
                      <Table.Th>Attempts</Table.Th>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Detail</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((item) => (
                      <Table.Tr key={item.id}>
                        <Table.Td>
                          <Checkbox
                            aria-label={`Select dead letter of ${item.intent} (${item.errorCode})`}
                            checked={selected.includes(item.id)}
                            disabled={status !== 'open'}
                            onChange={(e) =>
                              setSelected(
                                e.currentTarget.checked
                                  ? [...selected, item.id]
                                  : selected.filter((id) => id !== item.id),
                              )
                            }
                          />
                        </Table.Td>
                        <Table.Td>
                          <Code>{item.intent}</Code>
                        </Table.Td>
                        <Table.Td>
                          <Badge color="red" variant="light">
                            {item.errorCode}
                          </Badge>
                          <Text size="xs">{item.errorMessage}</Text>
                        </Table.Td>
                        <Table.Td>{item.attempts}</Table.Td>
                        <Table.Td>{new Date(item.createdAt).toLocaleString()}</Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() => setDetailId(item.id)}
                            aria-label={`Details of ${item.intent} dead letter`}
                          >
                            Details
                          </Button>
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
      {detailId ? <DeadLetterDetail id={detailId} onReplay={(id) => replay.mutate([id])} /> : null}
      <RecentWrites />
    </Stack>
  );
}

const WRITE_STATUS_COLORS: Record<string, string> = {
  written: 'green',
  pending: 'blue',
  retrying: 'orange',
  dead: 'red',
};

/** The newest writes with their status: where a replayed write shows up as written. */
function RecentWrites() {
  const { api } = useConsole();
  const [status, setStatus] = useState<'' | 'pending' | 'retrying' | 'written' | 'dead'>('');
  const writes = useQuery({
    queryKey: ['writes', status],
    queryFn: () =>
      unwrap(api.GET('/v1/writes', { params: { query: { limit: 50, ...(status ? { status } : {}) } } })),
    refetchInterval: 5_000,
  });
  return (
    <Stack component="section" aria-labelledby="writes-title">
      <Group justify="space-between" align="end">
        <Title order={3} id="writes-title">
          Recent writes
        </Title>
        <SegmentedControl
          aria-label="Write status"
          value={status}
          onChange={(value) => setStatus(value)}
          data={[
            { value: '', label: 'All' },
            { value: 'written', label: 'Written' },
            { value: 'retrying', label: 'Retrying' },
            { value: 'dead', label: 'Dead' },
          ]}
        />
      </Group>
      <QueryState query={writes} what="recent writes">
        {(data) =>
          data.writes.length === 0 ? (
            <Empty>No writes yet.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Intent</Table.Th>
                    <Table.Th>Call</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Map</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Last error</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.writes.map((write) => (
                    <Table.Tr key={write.writeId} aria-label={`Write ${write.writeId}`}>
                      <Table.Td>
                        <Code>{write.intent}</Code>
                      </Table.Td>
                      <Table.Td>{write.callId}</Table.Td>
                      <Table.Td>
                        <Badge color={WRITE_STATUS_COLORS[write.status] ?? 'gray'}>{write.status}</Badge>
                      </Table.Td>
                      <Table.Td>{write.mapVersion ? `v${write.mapVersion}` : ''}</Table.Td>
                      <Table.Td>{new Date(write.createdAt).toLocaleString()}</Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          {write.lastError ? `${write.lastError.code}: ${write.lastError.message ?? ''}` : ''}
                        </Text>
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

function DeadLetterDetail({ id, onReplay }: { id: string; onReplay: (id: string) => void }) {
  const { api } = useConsole();
  const detail = useQuery({
    queryKey: ['dead-letter', id],
    queryFn: () => unwrap(api.GET('/v1/dead-letters/{id}', { params: { path: { id } } })),
  });
  return (
    <Card withBorder aria-label="Dead letter detail">
      <QueryState query={detail} what="the dead letter">
        {(item) => (
          <Stack gap="xs">
            <Title order={3}>
              {item.intent} · write <Code>{item.writeId}</Code>
            </Title>
            <Text size="sm">
              Map version {item.mapVersion ?? 'unknown'} · status {item.status} · replays {item.replays}
            </Text>
            <Text size="sm">
              Final error: <Code>{item.errorCode}</Code> {item.errorMessage}
            </Text>
            <Text fw={600} size="sm">
              Payload
            </Text>
            <Code block tabIndex={0}>
              {JSON.stringify(item.payload, null, 2)}
            </Code>
            <Text fw={600} size="sm">
              Attempts
            </Text>
            <Code block tabIndex={0}>
              {JSON.stringify(item.attemptLog, null, 2)}
            </Code>
            {item.status === 'open' ? (
              <Group>
                <Button onClick={() => onReplay(item.id)}>Replay this write</Button>
              </Group>
            ) : null}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
