import { DEFAULT_EXTERNAL_ID_FIELD, type IntentMapTarget } from '../rules/intent-map-definition';
import type { CallFacts } from '../rules/value-expression';
import type { IntentMapVersionRef } from './write-plan';

/** The intent of a call's completion: a tenant's map of that name adds to the call's Task. */
export const COMPLETION_INTENT = 'call_completed';

/**
 * The call's Task as an intent map, planned by the same `buildWritePlan` as every other write: TaskSubtype
 * Call, CallType, CallDurationInSeconds, CallDisposition, the summary as Description, Status Completed and the
 * call id as CallObject; Who and What come from the call's known records. A tenant's own `call_completed` map
 * adds targets (a Chatter post on the Opportunity, a Task field) or overrides these.
 *
 * TaskSubtype is createable but not updateable: it is sent only when the call has no Task yet, so a Task an
 * earlier write of the call created is updated without it (and never refused).
 */
export function completionVersion(
  call: Omit<CallFacts, 'id'>,
  extra: IntentMapVersionRef | null,
  options: { taskExists: boolean },
): IntentMapVersionRef {
  const targets: IntentMapTarget[] = [
    ...(options.taskExists ? [] : [{ field: 'Task.TaskSubtype', value: 'Call' }]),
    { field: 'Task.Subject', value: call.direction === 'outbound' ? 'Outbound call' : 'Inbound call' },
    { field: 'Task.Status', value: 'Completed' },
    { field: 'Task.CallType', value: call.direction === 'outbound' ? 'Outbound' : 'Inbound' },
    { field: 'Task.CallDurationInSeconds', value: '$call.durationSeconds' },
    { field: 'Task.CallDisposition', value: '$call.disposition' },
    { field: 'Task.Description', value: '$call.summary' },
    { field: 'Task.CallObject', value: '$call.id' },
    { field: 'Task.ActivityDate', value: '$today' },
  ];
  const extraTargets = (extra?.definition.targets ?? []).filter(
    (target) => !(options.taskExists && target.field === 'Task.TaskSubtype'),
  );
  return {
    id: extra?.id ?? `built-in:${COMPLETION_INTENT}`,
    intent: COMPLETION_INTENT,
    version: extra?.version ?? 0,
    definition: {
      mode: 'deferred',
      valueType: 'none',
      targets: [...targets, ...extraTargets],
      routing: extra?.definition.routing ?? false,
      externalIdField: extra?.definition.externalIdField ?? DEFAULT_EXTERNAL_ID_FIELD,
    },
  };
}
