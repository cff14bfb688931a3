import type { CompositeSubrequest, PlannedOperation } from './write-plan';

type CompositeOperation = Extract<PlannedOperation, { kind: 'composite' }>;

/**
 * The org's duplicate rules blocked a record the composite creates and named an existing one
 * (DUPLICATES_DETECTED, salesforce-rest.md §6.3). Under the `use_matched` policy the write goes onto that record
 * instead: the same composite with the record updated by the matched id (only the fields the map targets; the
 * caller details a new record would get stay as the org has them) and every later reference to it pointing at
 * the match. Null when the blocked subrequest is not a record this composite creates.
 */
export function adoptDuplicateMatch(
  operation: CompositeOperation,
  referenceId: string,
  matchedId: string,
): CompositeOperation | null {
  const record = operation.records.find((entry) => entry.referenceId === referenceId);
  const blocked = operation.request.body.compositeRequest.find((sub) => sub.referenceId === referenceId);
  if (!record || record.how !== 'upsert' || !blocked) return null;

  const reference = `@{${referenceId}.id}`;
  const pointAtMatch = (sub: CompositeSubrequest): CompositeSubrequest =>
    JSON.parse(JSON.stringify(sub).replaceAll(reference, matchedId)) as CompositeSubrequest;
  const base = blocked.url.slice(0, blocked.url.indexOf('/sobjects/'));
  const targeted = new Set(record.targetedFields ?? []);
  const body = Object.fromEntries(
    Object.entries(blocked.body ?? {}).filter(([field]) => targeted.has(field)),
  );

  const compositeRequest = operation.request.body.compositeRequest.flatMap((sub) => {
    if (sub.referenceId !== referenceId) return [pointAtMatch(sub)];
    if (Object.keys(body).length === 0) return [];
    return [
      { ...sub, method: 'PATCH' as const, url: `${base}/sobjects/${record.object}/${matchedId}`, body },
    ];
  });
  return {
    ...operation,
    records: operation.records.map((entry) =>
      entry === record
        ? { object: record.object, referenceId, how: 'update' as const, id: matchedId }
        : entry,
    ),
    request: { ...operation.request, body: { ...operation.request.body, compositeRequest } },
  };
}
