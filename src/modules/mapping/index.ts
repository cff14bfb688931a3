/** What other modules (the write path) may use of mapping. */
export { MappingModule } from './mapping.module';
export { WritePlansService, type IntentWriteInput } from './services/write-plans.service';
export { buildWritePlan, callExternalId } from './plan/build-write-plan';
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
