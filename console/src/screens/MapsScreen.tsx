import {
  Autocomplete,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  FileButton,
  Group,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { VALUE_TYPES, type ValueType } from '../../../src/modules/mapping/rules/type-compatibility';
import { ApiError, unwrap, type Problem, type Schemas } from '../api/client';
import { FieldPicker } from '../components/FieldPicker';
import { fieldOptions, valueSuggestions } from '../components/fieldOptions';
import { Empty, ErrorAlert, QueryState } from '../components/states';
import { useConsole } from '../context';

type MapItem = Schemas['IntentMapListItemResponse'];
interface Target {
  field: string;
  value: string;
  /** Beside `$value` only: what is written when the agent sends no value ('' = none, a value is required). */
  default: string;
}
type DuplicatePolicy = 'use_matched' | 'allow' | 'fail';
interface Draft {
  intent: string;
  valueType: ValueType;
  mode: '' | 'critical' | 'deferred';
  routing: boolean;
  duplicates: DuplicatePolicy;
  targets: Target[];
}

const EMPTY_DRAFT: Draft = {
  intent: '',
  valueType: 'string',
  mode: '',
  routing: false,
  duplicates: 'use_matched',
  targets: [{ field: '', value: '$value', default: '' }],
};

/** A draft target as the API takes it: the default only beside `$value`. */
function targetBody(target: Target) {
  const value = parseTargetValue(target.value);
  return target.value === '$value' && target.default !== ''
    ? { field: target.field, value, default: parseTargetValue(target.default) }
    : { field: target.field, value };
}

/** A target's value as the API takes it: `$…` expressions and text as strings, numbers and booleans as such. */
export function parseTargetValue(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export function MapsScreen() {
  const { api } = useConsole();
  const maps = useQuery({ queryKey: ['maps'], queryFn: () => unwrap(api.GET('/v1/mappings')) });
  const [editing, setEditing] = useState<Draft | null>(null);
  return (
    <Stack component="section" aria-labelledby="maps-title">
      <Group justify="space-between">
        <Title order={2} id="maps-title">
          Intent maps
        </Title>
        <Group>
          <Button onClick={() => setEditing({ ...EMPTY_DRAFT })}>New map</Button>
          <ExportImport />
        </Group>
      </Group>
      {editing ? <MapEditor initial={editing} onDone={() => setEditing(null)} /> : null}
      <QueryState query={maps} what="intent maps">
        {(list) =>
          list.length === 0 ? (
            <Empty>No intent maps yet: create one, or use auto-map below.</Empty>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Intent</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Targets</Table.Th>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Edit</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((map) => (
                    <MapRow key={map.intent} map={map} onEdit={() => setEditing(toDraft(map))} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <AutoMap />
    </Stack>
  );
}

function toDraft(map: MapItem): Draft {
  return {
    intent: map.intent,
    valueType: map.valueType ?? 'string',
    mode: map.mode ?? '',
    routing: map.routing ?? false,
    duplicates: map.duplicates ?? 'use_matched',
    targets: map.targets.map((target) => ({
      field: target.field,
      value: String(target.value),
      default: target.default === undefined ? '' : String(target.default),
    })),
  };
}

/** What the agent sends with the intent, in words (the API's `agentValue`). */
function agentValueText(value: MapItem['agentValue']): string {
  if (!value) return 'agent sends the intent only';
  const choices = value.allowedValues?.length ? ` (${value.allowedValues.join(', ')})` : '';
  return `agent ${value.required ? 'must send' : 'may send'} a ${value.type} value${choices}`;
}

function MapRow({ map, onEdit }: { map: MapItem; onEdit: () => void }) {
  const drift = map.drift as unknown as Problem[];
  return (
    <Table.Tr>
      <Table.Td>
        <Code>{map.intent}</Code>
      </Table.Td>
      <Table.Td>
        <Badge color={map.status === 'ok' ? 'green' : 'red'}>{map.status}</Badge>
        {drift.map((problem, index) => (
          <Text size="xs" c="red.8" key={index}>
            {problem.code}: {problem.message}
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        {map.targets.map((target) => (
          <Text size="sm" key={target.field}>
            {target.field} ← <Code>{JSON.stringify(target.value)}</Code>
            {target.default !== undefined ? (
              <>
                {' '}
                (default <Code>{JSON.stringify(target.default)}</Code>)
              </>
            ) : null}
          </Text>
        ))}
        <Text size="xs" c="gray.8">
          {agentValueText(map.agentValue)}
        </Text>
      </Table.Td>
      <Table.Td>
        v{map.version} · {map.mode}
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="light" onClick={onEdit} aria-label={`Edit ${map.intent}`}>
          Edit
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

function MapEditor({ initial, onDone }: { initial: Draft; onDone: () => void }) {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(initial);
  const objects = useQuery({
    queryKey: ['metadata-objects'],
    queryFn: () => unwrap(api.GET('/v1/metadata/objects')),
  });
  const options = useMemo(
    () => fieldOptions(objects.data ?? [], draft.valueType),
    [objects.data, draft.valueType],
  );
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/mappings/{intent}', {
          params: { path: { intent: draft.intent } },
          body: {
            valueType: draft.valueType,
            routing: draft.routing,
            duplicates: draft.duplicates,
            ...(draft.mode ? { mode: draft.mode } : {}),
            targets: draft.targets.map(targetBody),
          },
        }),
      ),
    onSuccess: async () => {
      // A save is a new version: the versions list of that map is stale too.
      await queryClient.invalidateQueries({ queryKey: ['map-versions'] });
      await queryClient.invalidateQueries({ queryKey: ['maps'] });
      onDone();
    },
  });
  const problems = save.error instanceof ApiError ? save.error.problems : [];
  const problemsOf = (field: string) =>
    problems.filter((problem) => (problem as Problem & { target?: string }).target === field);
  const unplaced = problems.filter(
    (problem) => !draft.targets.some((t) => problemsOf(t.field).includes(problem)),
  );
  const setTarget = (index: number, patch: Partial<Target>) =>
    setDraft({ ...draft, targets: draft.targets.map((t, i) => (i === index ? { ...t, ...patch } : t)) });

  return (
    <Card
      withBorder
      component="form"
      aria-label="Intent map editor"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <Title order={3}>{initial.intent ? `Edit ${initial.intent}` : 'New intent map'}</Title>
        <Group grow align="start">
          <TextInput
            label="Intent"
            value={draft.intent}
            onChange={(event) => setDraft({ ...draft, intent: event.currentTarget.value })}
            disabled={Boolean(initial.intent)}
            required
          />
          <Select
            label="Value type"
            data={[...VALUE_TYPES]}
            value={draft.valueType}
            onChange={(value) => setDraft({ ...draft, valueType: value ?? 'string' })}
            allowDeselect={false}
            searchable
          />
          <Select
            label="Mode"
            data={[
              { value: '', label: 'automatic' },
              { value: 'critical', label: 'critical (in the call)' },
              { value: 'deferred', label: 'deferred (queued)' },
            ]}
            value={draft.mode}
            onChange={(value) => setDraft({ ...draft, mode: value ?? '' })}
            allowDeselect={false}
          />
        </Group>
        <Group grow align="end">
          <Switch
            label="Routing: Lead writes run the org's assignment rules"
            checked={draft.routing}
            onChange={(event) => setDraft({ ...draft, routing: event.currentTarget.checked })}
          />
          <Select
            label="When a duplicate rule blocks a new record"
            data={[
              { value: 'use_matched', label: 'write onto the matched record' },
              { value: 'allow', label: 'save anyway (allowSave)' },
              { value: 'fail', label: 'fail the write' },
            ]}
            value={draft.duplicates}
            onChange={(value) => setDraft({ ...draft, duplicates: value ?? 'use_matched' })}
            allowDeselect={false}
          />
        </Group>
        {objects.error ? <ErrorAlert error={objects.error} title="No field metadata" /> : null}
        {draft.targets.map((target, index) => {
          const field = options.find((option) => option.value === target.field)?.field;
          const targetProblems = problemsOf(target.field);
          return (
            <Group key={index} align="start" grow data-testid={`target-${index}`}>
              <FieldPicker
                label={`Target ${index + 1} field`}
                options={options}
                value={target.field}
                onChange={(value) => setTarget(index, { field: value })}
                error={
                  targetProblems.map((problem) => `${problem.code}: ${problem.message}`).join(' · ') ||
                  undefined
                }
              />
              <Autocomplete
                label={`Target ${index + 1} value`}
                data={valueSuggestions(field)}
                value={target.value}
                onChange={(value) => setTarget(index, { value })}
              />
              {target.value === '$value' ? (
                <Autocomplete
                  label={`Target ${index + 1} default (empty: the agent must send a value)`}
                  data={valueSuggestions(field).filter((suggestion) => suggestion !== '$value')}
                  value={target.default}
                  onChange={(value) => setTarget(index, { default: value })}
                />
              ) : null}
              <Button
                variant="subtle"
                color="red"
                mt={24}
                style={{ flexGrow: 0 }}
                onClick={() => setDraft({ ...draft, targets: draft.targets.filter((_, i) => i !== index) })}
                disabled={draft.targets.length === 1}
                aria-label={`Remove target ${index + 1}`}
              >
                Remove
              </Button>
            </Group>
          );
        })}
        <Group>
          <Button
            variant="default"
            onClick={() =>
              setDraft({ ...draft, targets: [...draft.targets, { field: '', value: '$value', default: '' }] })
            }
          >
            Add target
          </Button>
        </Group>
        {save.error && (!(save.error instanceof ApiError) || unplaced.length || !problems.length) ? (
          <ErrorAlert error={save.error} title="Not saved" />
        ) : null}
        {save.error instanceof ApiError && problems.length && !unplaced.length ? (
          <Text c="red.8" size="sm" role="alert">
            Not saved: {save.error.code}, see the problems beside the targets (request id{' '}
            {save.error.requestId}).
          </Text>
        ) : null}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!draft.intent}>
            Save as a new version
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
        {initial.intent ? <Versions intent={initial.intent} onRestored={onDone} /> : null}
      </Stack>
    </Card>
  );
}

/** Every version of a map; a diff between any two; restoring saves the old definition as a new version. */
function Versions({ intent, onRestored }: { intent: string; onRestored: () => void }) {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const versions = useQuery({
    queryKey: ['map-versions', intent],
    queryFn: () => unwrap(api.GET('/v1/mappings/{intent}/versions', { params: { path: { intent } } })),
  });
  const [left, setLeft] = useState<string | null>(null);
  const [right, setRight] = useState<string | null>(null);
  const restore = useMutation({
    mutationFn: (version: Schemas['IntentMapResponse']) =>
      unwrap(
        api.PUT('/v1/mappings/{intent}', {
          params: { path: { intent } },
          body: {
            mode: version.mode,
            valueType: version.valueType,
            routing: version.routing,
            externalIdField: version.externalIdField,
            ...(version.duplicates ? { duplicates: version.duplicates } : {}),
            targets: version.targets,
          },
        }),
      ),
    onSuccess: async () => {
      // A save is a new version: the versions list of that map is stale too.
      await queryClient.invalidateQueries({ queryKey: ['map-versions'] });
      await queryClient.invalidateQueries({ queryKey: ['maps'] });
      onRestored();
    },
  });
  return (
    <QueryState query={versions} what="versions">
      {(list) => {
        const data = list.map((v) => ({
          value: String(v.version),
          label: `v${v.version} · ${new Date(v.savedAt).toLocaleString()}`,
        }));
        const find = (version: string | null) => list.find((v) => String(v.version) === version);
        const a = find(left);
        const b = find(right);
        return (
          <Stack gap="xs">
            <Title order={4}>Versions</Title>
            <Group grow>
              <Select label="Compare version" data={data} value={left} onChange={setLeft} />
              <Select label="with version" data={data} value={right} onChange={setRight} />
            </Group>
            {a && b ? <DefinitionDiff left={a} right={b} /> : null}
            {a ? (
              <Group>
                <Button variant="light" onClick={() => restore.mutate(a)} loading={restore.isPending}>
                  Restore v{a.version} as a new version
                </Button>
              </Group>
            ) : null}
            {restore.error ? <ErrorAlert error={restore.error} /> : null}
          </Stack>
        );
      }}
    </QueryState>
  );
}

/** Line-by-line comparison of two definitions (mode, type, routing, one line per target). */
export function definitionLines(version: Schemas['IntentMapResponse']): string[] {
  return [
    `mode: ${version.mode}`,
    `valueType: ${version.valueType}`,
    `routing: ${version.routing}`,
    `externalIdField: ${version.externalIdField}`,
    ...version.targets.map((target) => `${target.field} ← ${JSON.stringify(target.value)}`),
  ];
}

function DefinitionDiff({
  left,
  right,
}: {
  left: Schemas['IntentMapResponse'];
  right: Schemas['IntentMapResponse'];
}) {
  const a = definitionLines(left);
  const b = definitionLines(right);
  return (
    <Stack gap={2} aria-label={`Differences between v${left.version} and v${right.version}`}>
      {a
        .filter((line) => !b.includes(line))
        .map((line) => (
          <Code key={`-${line}`} c="red.9">
            - v{left.version}: {line}
          </Code>
        ))}
      {b
        .filter((line) => !a.includes(line))
        .map((line) => (
          <Code key={`+${line}`} c="green.9">
            + v{right.version}: {line}
          </Code>
        ))}
      {a.every((line) => b.includes(line)) && b.every((line) => a.includes(line)) ? (
        <Text size="sm">No differences.</Text>
      ) : null}
    </Stack>
  );
}

/** Export the short form as a file; import one back (all or nothing). */
function ExportImport() {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const exportMaps = useMutation({
    mutationFn: () => unwrap(api.GET('/v1/mappings/export', { params: { query: { format: 'short' } } })),
    onSuccess: (data) => {
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = 'intent-maps.json';
      link.click();
      URL.revokeObjectURL(url);
    },
  });
  const importMaps = useMutation({
    mutationFn: async (file: File) =>
      unwrap(api.PUT('/v1/mappings', { body: JSON.parse(await file.text()) as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['maps'] }),
  });
  return (
    <>
      <Button variant="default" onClick={() => exportMaps.mutate()} loading={exportMaps.isPending}>
        Export
      </Button>
      <FileButton onChange={(file) => file && importMaps.mutate(file)} accept="application/json">
        {(props) => (
          <Button variant="default" loading={importMaps.isPending} {...props}>
            Import
          </Button>
        )}
      </FileButton>
      {exportMaps.error ? <ErrorAlert error={exportMaps.error} /> : null}
      {importMaps.error ? <ErrorAlert error={importMaps.error} /> : null}
    </>
  );
}

/** Auto-map: propose targets for a list of intents, review, apply the chosen ones (each saved as a map). */
function AutoMap() {
  const { api } = useConsole();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const propose = useMutation({
    mutationFn: () => {
      const fields = Object.fromEntries(
        text
          .split('\n')
          .map((line) => line.split(':').map((part) => part.trim()))
          .filter(([name]) => name)
          .map(([name, type]) => [name, type || 'string']),
      );
      return unwrap(api.POST('/v1/mappings/auto-map', { body: { fields } }));
    },
    onSuccess: (result) => setChosen(Object.keys(result.mapped)),
  });
  const apply = useMutation({
    mutationFn: async () => {
      const result = propose.data;
      if (!result) return;
      for (const intent of chosen) {
        await unwrap(
          api.PUT('/v1/mappings/{intent}', {
            params: { path: { intent } },
            body: {
              valueType: result.valueTypes[intent] as ValueType,
              targets: [{ field: result.mapped[intent], value: '$value' }],
            },
          }),
        );
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['maps'] }),
  });
  return (
    <Card withBorder component="section" aria-labelledby="automap-title">
      <Stack>
        <Title order={3} id="automap-title">
          Auto-map
        </Title>
        <Textarea
          label="Intents to map, one per line as name: type"
          placeholder={'demo_requested_at: datetime\nbudget: currency'}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          autosize
          minRows={3}
        />
        <Group>
          <Button onClick={() => propose.mutate()} loading={propose.isPending} disabled={!text.trim()}>
            Propose
          </Button>
        </Group>
        {propose.error ? <ErrorAlert error={propose.error} /> : null}
        {propose.data ? (
          <Stack gap="xs">
            {Object.entries(propose.data.mapped).map(([intent, field]) => (
              <Checkbox
                key={intent}
                label={`${intent} → ${field} (${String(propose.data.valueTypes[intent])})`}
                checked={chosen.includes(intent)}
                onChange={(event) =>
                  setChosen(
                    event.currentTarget.checked ? [...chosen, intent] : chosen.filter((c) => c !== intent),
                  )
                }
              />
            ))}
            {propose.data.unmapped.map((item) => (
              <Text size="sm" c="gray.7" key={item.name}>
                {item.name}: {item.reason}
              </Text>
            ))}
            <Group>
              <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={!chosen.length}>
                Apply {chosen.length} chosen
              </Button>
            </Group>
            {apply.isSuccess ? (
              <Text c="green.8" role="status">
                Applied.
              </Text>
            ) : null}
            {apply.error ? <ErrorAlert error={apply.error} /> : null}
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}
