import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client';
import { ErrorAlert } from '../components/states';
import { useConsole } from '../context';

/** Appends a step to the script being edited (an empty editor starts a new script). */
export function appendStep(script: string, step: { intent: string; value?: unknown }): string {
  const steps: unknown = script.trim() ? JSON.parse(script) : [];
  if (!Array.isArray(steps)) throw new Error('The script must be a JSON list of steps');
  return JSON.stringify([...(steps as unknown[]), step], null, 2);
}

/** Build or paste a call script, run it through the live maps, and read every Salesforce request it would send. */
export function SimulationScreen() {
  const { api } = useConsole();
  const [script, setScript] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const [stepIntent, setStepIntent] = useState<string | null>(null);
  const [stepValue, setStepValue] = useState('');
  const maps = useQuery({ queryKey: ['maps'], queryFn: () => unwrap(api.GET('/v1/mappings')) });
  const sample = useMutation({
    mutationFn: () => unwrap(api.GET('/v1/simulations/sample')),
    onSuccess: (data) => setScript(JSON.stringify(data.script, null, 2)),
  });
  const run = useMutation({
    mutationFn: (steps: unknown) => unwrap(api.POST('/v1/simulations', { body: { script: steps as never } })),
  });
  return (
    <Stack component="section" aria-labelledby="simulation-title">
      <Title order={2} id="simulation-title">
        Simulation
      </Title>
      <Text size="sm">Nothing is written: the same planner as real calls shows the exact requests.</Text>
      <Group align="end">
        <Select
          label="Step intent"
          data={(maps.data ?? []).map((map) => map.intent)}
          value={stepIntent}
          onChange={setStepIntent}
          searchable
        />
        <TextInput
          label="Step value"
          value={stepValue}
          onChange={(event) => setStepValue(event.currentTarget.value)}
        />
        <Button
          variant="default"
          disabled={!stepIntent}
          onClick={() => {
            try {
              setParseError(null);
              setScript(
                appendStep(script, { intent: stepIntent ?? '', ...(stepValue ? { value: stepValue } : {}) }),
              );
            } catch (error) {
              setParseError(error instanceof Error ? error.message : String(error));
            }
          }}
        >
          Add step
        </Button>
      </Group>
      <Textarea
        label="Call script (JSON: a list of {intent, value, caller?})"
        value={script}
        onChange={(event) => setScript(event.currentTarget.value)}
        autosize
        minRows={6}
        maxRows={16}
        styles={{ input: { fontFamily: 'monospace' } }}
      />
      <Group>
        <Button variant="default" onClick={() => sample.mutate()} loading={sample.isPending}>
          Load the sample call
        </Button>
        <Button
          onClick={() => {
            try {
              setParseError(null);
              run.mutate(JSON.parse(script));
            } catch (error) {
              setParseError(error instanceof Error ? error.message : String(error));
            }
          }}
          loading={run.isPending}
          disabled={!script.trim()}
        >
          Run simulation
        </Button>
      </Group>
      {parseError ? <ErrorAlert error={new Error(parseError)} title="The script is not JSON" /> : null}
      {sample.error ? <ErrorAlert error={sample.error} /> : null}
      {run.error ? <ErrorAlert error={run.error} title="Simulation refused" /> : null}
      {run.data ? (
        <Stack>
          <Text role="status">
            {run.data.steps.length} steps · {run.data.requests.total} Salesforce requests (
            {run.data.requests.inCall} during the call) ·{' '}
            <Badge color={run.data.problems ? 'red' : 'green'}>{run.data.problems} problems</Badge>
          </Text>
          {run.data.steps.map((step) => (
            <Card withBorder key={step.step} aria-label={`Step ${step.step}`}>
              <Stack gap="xs">
                <Group>
                  <Text fw={600}>
                    Step {step.step}: {step.intent}
                  </Text>
                  {step.mapVersion ? <Badge variant="light">map v{step.mapVersion}</Badge> : null}
                  {step.mode ? <Badge variant="outline">{step.mode}</Badge> : null}
                </Group>
                {(step.problems as Array<{ code?: string; message: string }>).map((problem, index) => (
                  <Text c="red.8" size="sm" key={index}>
                    {problem.code}: {problem.message}
                  </Text>
                ))}
                {step.notes.map((note) => (
                  <Text size="sm" c="gray.7" key={note}>
                    {note}
                  </Text>
                ))}
                <Code block tabIndex={0}>
                  {JSON.stringify(step.operations, null, 2)}
                </Code>
              </Stack>
            </Card>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
