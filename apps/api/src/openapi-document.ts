import { NestFactory } from '@nestjs/core';
import { parseConfig } from '@app/platform';
import { AppModule } from './app.module';
import { createOpenApiDocument } from './common/openapi';

/**
 * Prints the api's OpenAPI document (JSON) without Postgres or Redis: the app is created in preview
 * mode, which reads the module graph but instantiates no provider, so nothing connects. Run from the
 * build (`nest build api`): the swagger plugin's metadata exists only there. `npm run contract`
 * turns it into the dashboard's types.
 */
async function main(): Promise<void> {
  const config = parseConfig({
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1/0',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  process.stdout.write(`${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `openapi document failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
