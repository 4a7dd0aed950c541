import type { Server } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { SHUTDOWN_OPTIONS, SHUTDOWN_SIGNALS, listeningUrl, loadConfigOrExit } from '@app/platform';
import { AppModule } from './app.module';
import { configureHttp } from './common/configure-http';
import { useSecurityHeaders } from './common/security-headers';
import { useDashboard } from './dashboard/serve-dashboard';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  useSecurityHeaders(app);
  useDashboard(app, config.dashboardDir);
  configureHttp(app);
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, SHUTDOWN_OPTIONS);
  await app.listen(config.port, config.host);
  new NestLogger('api').log(`api ready on ${listeningUrl(app.getHttpServer() as Server)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
