import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_DIRECTORY, apiTypesOf, generateOpenApiDocument } from '../../scripts/generate-api-types';

/**
 * The console's typed client is generated from the API's OpenAPI document and committed. This fails when a DTO
 * or route changed without `npm run api:types`, so the console can never be typed against an older API.
 */
describe('Console API types', () => {
  it('match the OpenAPI document the API serves today (run `npm run api:types` when this fails)', async () => {
    const document = await generateOpenApiDocument();
    const documentPath = join(API_DIRECTORY, 'openapi.json');
    const committed = JSON.parse(readFileSync(documentPath, 'utf8')) as object;
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
    expect(readFileSync(join(API_DIRECTORY, 'schema.d.ts'), 'utf8')).toBe(apiTypesOf(documentPath));
  });
});
