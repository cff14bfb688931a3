import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/states';
import { useConsole } from '../context';
import { navigate } from '../router';

/** Each check's title, and the screen that fixes it. */
export const CHECKS: Record<
  Schemas['PreflightCheckResponse']['id'],
  { title: string; fixAt: string; fixLabel: string }
> = {
  connection: { title: 'Connection healthy', fixAt: 'connection', fixLabel: 'Connection' },
  scopes: { title: 'Scopes cover every map', fixAt: 'connection', fixLabel: 'Connection' },
  maps: { title: 'Every map ok against current metadata', fixAt: 'maps', fixLabel: 'Intent maps' },
  simulation: { title: 'The sample call simulates cleanly', fixAt: 'simulation', fixLabel: 'Simulation' },
  round_trip: { title: "Round trip to the org's instance", fixAt: 'connection', fixLabel: 'Connection' },
};

export function GoLiveScreen() {
  const { api } = useConsole();
  const preflight = useQuery({ queryKey: ['preflight'], queryFn: () => unwrap(api.GET('/v1/preflight')) });
  return (
    <Stack component="section" aria-labelledby="golive-title">
      <Group justify="space-between">
        <Title order={2} id="golive-title">
          Go-live checklist
        </Title>
        <Button variant="default" onClick={() => void preflight.refetch()} loading={preflight.isFetching}>
          Check again
        </Button>
      </Group>
      <QueryState query={preflight} what="the checklist">
        {(report) => (
          <Stack>
            <Badge size="xl" color={report.ok ? 'green' : 'red'} role="status">
              {report.ok ? 'Ready for live calls' : 'Not ready yet'}
            </Badge>
            {report.checks.map((check) => (
              <Card withBorder key={check.id} aria-label={CHECKS[check.id].title}>
                <Group justify="space-between" wrap="nowrap" align="start">
                  <Stack gap={2}>
                    <Group gap="xs">
                      <Badge color={check.ok ? 'green' : 'red'}>{check.ok ? 'pass' : 'fail'}</Badge>
                      <Text fw={600}>{CHECKS[check.id].title}</Text>
                    </Group>
                    <Text size="sm">{check.summary}</Text>
                    {check.problems.map((problem, index) => (
                      <Text size="sm" c="red.8" key={index}>
                        {problem.field ? `${problem.field}: ` : ''}
                        {problem.code}: {problem.message}
                      </Text>
                    ))}
                  </Stack>
                  {check.ok ? null : (
                    <Button
                      size="xs"
                      variant="light"
                      component="a"
                      href={`/console/${CHECKS[check.id].fixAt}`}
                      onClick={(event: React.MouseEvent) => {
                        event.preventDefault();
                        navigate(CHECKS[check.id].fixAt);
                      }}
                    >
                      Fix on {CHECKS[check.id].fixLabel}
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
            <Text size="xs" c="gray.7">
              Checked {new Date(report.checkedAt).toLocaleString()} · a deploy can gate on GET /v1/preflight
            </Text>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
