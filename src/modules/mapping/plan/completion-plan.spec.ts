import type { IntentMapVersionRef } from './write-plan';
import { completionVersion } from './completion-plan';

const call = { summary: 'S', durationSeconds: 10, direction: 'outbound', disposition: 'Done' };
const fields = (version: IntentMapVersionRef) => version.definition.targets.map((target) => target.field);

describe('completionVersion', () => {
  it('writes the call Task fields, TaskSubtype only when the call has no Task yet', () => {
    const fresh = completionVersion(call, null, { taskExists: false });
    expect(fresh.definition).toMatchObject({
      mode: 'deferred',
      valueType: 'none',
      externalIdField: 'AICall_External_Id__c',
    });
    expect(fresh.definition.targets).toEqual(
      expect.arrayContaining([
        { field: 'Task.TaskSubtype', value: 'Call' },
        { field: 'Task.CallType', value: 'Outbound' },
        { field: 'Task.CallDurationInSeconds', value: '$call.durationSeconds' },
        { field: 'Task.CallDisposition', value: '$call.disposition' },
        { field: 'Task.Description', value: '$call.summary' },
        { field: 'Task.Status', value: 'Completed' },
        { field: 'Task.CallObject', value: '$call.id' },
      ]),
    );
    expect(fields(completionVersion(call, null, { taskExists: true }))).not.toContain('Task.TaskSubtype');
  });

  it("adds the tenant's call_completed targets and records its version", () => {
    const extra: IntentMapVersionRef = {
      id: 'v-1',
      intent: 'call_completed',
      version: 3,
      definition: {
        mode: 'deferred',
        valueType: 'none',
        routing: false,
        externalIdField: 'Other_Key__c',
        targets: [{ field: 'Chatter.Opportunity', value: '$call.summary' }],
      },
    };
    const version = completionVersion(call, extra, { taskExists: false });
    expect(version).toMatchObject({ id: 'v-1', version: 3, definition: { externalIdField: 'Other_Key__c' } });
    expect(fields(version)).toContain('Chatter.Opportunity');
  });
});
