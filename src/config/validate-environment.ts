import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppEnvironment } from './app.config';
import { DatabaseEnvironment } from './database.config';
import { LimitsEnvironment } from './limits.config';
import { OperationsEnvironment } from './operations.config';
import { QueueBoardEnvironment } from './queue-board.config';
import { RedisEnvironment } from './redis.config';
import { SalesforceEnvironment } from './salesforce.config';
import { SecurityEnvironment } from './security.config';
import { WritesEnvironment } from './writes.config';

/** Every namespace's environment class; each validates the variables it owns. */
const ENVIRONMENT_NAMESPACES: ClassConstructor<object>[] = [
  AppEnvironment,
  DatabaseEnvironment,
  RedisEnvironment,
  SecurityEnvironment,
  SalesforceEnvironment,
  WritesEnvironment,
  OperationsEnvironment,
  QueueBoardEnvironment,
  LimitsEnvironment,
];

export class EnvironmentValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EnvironmentValidationError';
  }
}

/** Validates every namespace and throws one error that names every bad variable. */
export function validateEnvironment(env: Record<string, unknown>): Record<string, unknown> {
  const problems = ENVIRONMENT_NAMESPACES.flatMap((namespace) =>
    validateSync(plainToInstance(namespace, env), { stopAtFirstError: true }).flatMap(describeProblem),
  );
  if (problems.length > 0) throw new EnvironmentValidationError(problems);
  return env;
}

function describeProblem(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(error.property) ? message : `${error.property}: ${message}`,
  );
}
