/** What other modules (the write path) may use of mapping. */
export { MappingModule } from './mapping.module';
export {
  WritePlansService,
  type PlanRequest,
  type IntentPlanRequest,
  type CompletionPlanRequest,
  type PlannedWrite,
} from './services/write-plans.service';
export { callExternalId } from './plan/build-write-plan';
export { COMPLETION_INTENT } from './plan/completion-plan';
export { normalizePhone, type NormalizedPhone } from './rules/phone-number';
export { adoptDuplicateMatch } from './plan/adopt-duplicate-match';
export type * from './plan/write-plan';
export {
  valueMatchesType,
  valueJsonSchema,
  type JsonSchema,
  type ValueType,
} from './rules/type-compatibility';
export type { AgentIntent } from './rules/agent-intent';
export { MappingEvents } from './events/mapping.events';
