/** Codes the mapping module answers with: intent maps, metadata, and a plan refusing the agent's value. */
export enum MappingErrorCode {
  MappingMalformed = 'MAPPING_MALFORMED',
  MappingInvalid = 'MAPPING_INVALID',
  IntentUnknown = 'INTENT_UNKNOWN',
  MetadataMissing = 'METADATA_MISSING',
  TooManyObjects = 'TOO_MANY_OBJECTS',
  /** A plan's problem with the value the agent sent (build-write-plan.ts). */
  ValueMissing = 'VALUE_MISSING',
  ValueTypeInvalid = 'VALUE_TYPE_INVALID',
  ValueNotAllowed = 'VALUE_NOT_ALLOWED',
  /** A caller number the planner (and the lookup) cannot read. */
  PhoneInvalid = 'PHONE_INVALID',
}
