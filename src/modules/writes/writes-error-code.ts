import type { Problem } from '../../common/errors/domain-error';
import { MappingErrorCode } from '../mapping/mapping-error-code';

/** Codes the writes module answers with (lookups, intents, completions, and the worker's own waits). */
export enum WritesErrorCode {
  CallIdInvalid = 'CALL_ID_INVALID',
  IntentInputInvalid = 'INTENT_INPUT_INVALID',
  IdempotencyKeyInvalid = 'IDEMPOTENCY_KEY_INVALID',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyRequestInProgress = 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  /** The worker holds a queued write back; never an HTTP answer, but recorded with the attempt. */
  ApiHeadroomReserved = 'API_HEADROOM_RESERVED',
  EarlierWritesPending = 'EARLIER_WRITES_PENDING',
}

const VALUE_PROBLEM_CODES: readonly MappingErrorCode[] = [
  MappingErrorCode.ValueMissing,
  MappingErrorCode.ValueTypeInvalid,
  MappingErrorCode.ValueNotAllowed,
];

/** An intent refused for its input answers with its one problem's code, or INTENT_INPUT_INVALID for several. */
export function intentInputErrorCode(
  problems: readonly Problem[],
): MappingErrorCode | WritesErrorCode.IntentInputInvalid {
  const only = problems.length === 1 ? problems[0].code : undefined;
  return VALUE_PROBLEM_CODES.find((code) => code === only) ?? WritesErrorCode.IntentInputInvalid;
}
