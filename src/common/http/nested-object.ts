import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * A nested DTO that must be a JSON object (or, with `each`, an array of objects). `@ValidateNested` alone lets
 * an array through (`caller: []` or `caller: [{...}]` validates its elements instead), which the code behind
 * the DTO then meets as the wrong type.
 */
export function NestedObject(
  type: () => new () => object,
  options: { each?: boolean } = {},
): PropertyDecorator {
  const each = options.each === true;
  return applyDecorators(
    IsObject({ each, message: each ? 'each of $property must be an object' : '$property must be an object' }),
    ValidateNested({ each }),
    Type(type),
  );
}
