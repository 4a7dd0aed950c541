import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Where the Swagger UI lives; the JSON document is at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'docs';
export const BEARER_SCHEME = 'bearer';

/**
 * OpenAPI generated from the controllers, the DTOs and the response views (the Nest CLI's swagger
 * plugin fills in their properties in builds: the document is complete only from `nest build api`).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Email scheduler API')
    .setDescription(
      'Schedule, reschedule, cancel and read the history of emails. Every /v1 route needs ' +
        '`Authorization: Bearer <api key>`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Served by the HTTP adapter directly, outside the guards: no API key needed. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, createOpenApiDocument(app), {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
  });
}
