import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { httpStatusOf } from './http-status';
import type { ErrorCode } from './error-code';

const SRC = join(__dirname, '..', '..');

/** Every `<module>-error-code.ts` under src, found on disk so that a new enum file is covered without a list. */
function errorCodeFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return errorCodeFiles(path);
    return entry.name.endsWith('-error-code.ts') ? [path] : [];
  });
}

/** Each exported string enum of each file, by `file: EnumName`. */
function errorCodeEnums(): Array<[string, string[]]> {
  return errorCodeFiles().flatMap((file) =>
    Object.entries(jest.requireActual<Record<string, unknown>>(file))
      .filter(([, value]) => typeof value === 'object' && value !== null)
      .map(([name, value]): [string, string[]] => [
        `${relative(SRC, file)}: ${name}`,
        Object.values(value as Record<string, unknown>).filter((code) => typeof code === 'string'),
      ]),
  );
}

describe('httpStatusOf', () => {
  const enums = errorCodeEnums();

  it('finds the error-code enum of every module that has one', () => {
    expect(enums.map(([name]) => name.split(': ')[1]).sort()).toEqual([
      'AgentToolsErrorCode',
      'CommonErrorCode',
      'HealthErrorCode',
      'MappingErrorCode',
      'OperationsErrorCode',
      'RateLimitsErrorCode',
      'SalesforceErrorCode',
      'TenancyErrorCode',
      'WritesErrorCode',
    ]);
  });

  it.each(enums)('gives every code of %s an HTTP error status', (_name, codes) => {
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      const status = httpStatusOf(code as ErrorCode);
      expect({ code, status }).toEqual({ code, status: expect.any(Number) });
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('has each code in one enum only, so a code has one status', () => {
    const codes = enums.flatMap(([, values]) => values);
    expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
  });

  it.each([
    ['NOT_FOUND', 404],
    ['VALIDATION_FAILED', 422],
    ['SALESFORCE_UNAVAILABLE', 503],
    ['SALESFORCE_AUTH_FAILED', 502],
    ['SALESFORCE_REAUTHORIZATION_REQUIRED', 409],
    ['REGION_MISDIRECTED', 421],
    ['IDEMPOTENCY_KEY_INVALID', 400],
  ])('answers %s with %i', (code, status) => {
    expect(httpStatusOf(code as ErrorCode)).toBe(status);
  });
});
