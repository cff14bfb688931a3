import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document of the API. One builder for the served `/docs-json` and for the console's generated
 * client types (`npm run api:types`), so the console is typed against exactly what the API serves.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('AICall Salesforce Connector')
      .setDescription('Lets AI phone agents read and write Salesforce during live calls.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'operator, admin or agent API key' })
      .build(),
  );
}
