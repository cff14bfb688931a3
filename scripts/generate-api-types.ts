import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument } from '../src/bootstrap/openapi';

/**
 * `npm run api:types`: the console's typed API client comes from our own OpenAPI document. The application is
 * built in Nest's preview mode (modules and controllers are scanned, no provider runs), so this needs no
 * database, Redis or environment. It writes `console/src/api/openapi.json` and the types generated from it,
 * `console/src/api/schema.d.ts`; `npm run build` runs it first, so a changed DTO breaks the console's build.
 */
export async function generateOpenApiDocument(): Promise<object> {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The TypeScript types of a written OpenAPI document, from the openapi-typescript CLI (an ES module, so a child
 *  process: Jest cannot load it in-process). */
export function apiTypesOf(documentPath: string): string {
  const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
  return execFileSync(process.execPath, [cli, documentPath], { encoding: 'utf8' });
}

export const API_DIRECTORY = join(__dirname, '../console/src/api');

async function main(): Promise<void> {
  const document = await generateOpenApiDocument();
  const documentPath = join(API_DIRECTORY, 'openapi.json');
  writeFileSync(documentPath, `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(join(API_DIRECTORY, 'schema.d.ts'), apiTypesOf(documentPath));
  process.stdout.write(`console API types written to ${API_DIRECTORY}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
