import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, Problem } from '../errors/domain-error';
import { CommonErrorCode } from '../errors/common-error-code';

/**
 * Every request body and query is validated by its DTO: unknown fields are refused, types are checked, and the
 * answer is a 422 that lists each bad field by its path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problems = errors.flatMap((error) => flattenValidationError(error));
      return new DomainError(
        CommonErrorCode.ValidationFailed,
        problems.map((p) => p.message).join('; '),
        problems,
      );
    },
  });
}

function flattenValidationError(error: ValidationError, parentPath = ''): Problem[] {
  const field = parentPath ? `${parentPath}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => ({
    field,
    message: message.replace(/^property (\S+) should not exist$/, `${field} is not an allowed field`),
  }));
  const nested = (error.children ?? []).flatMap((child) => flattenValidationError(child, field));
  return [...own, ...nested];
}
