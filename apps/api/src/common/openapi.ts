import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Where the Swagger UI lives; the JSON document is at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'docs';
export const BEARER_SCHEME = 'bearer';

/**
 * OpenAPI generated from the controllers and DTOs (the Nest CLI's swagger plugin fills in DTO
 * properties in builds). Served by the HTTP adapter directly, outside the guards: no API key needed.
 */
export function setupOpenApi(app: INestApplication): void {
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_PATH}-json` });
}
