import {
  type DynamicModule,
  type INestApplicationContext,
  Logger as NestLogger,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig, type AppConfig } from '../config';

/** SIGTERM/SIGINT close the app (shutdown hooks run) and then exit 0 rather than re-raise. */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
export const SHUTDOWN_OPTIONS = { useProcessExit: true } as const;

/**
 * The validated configuration, or — when the environment is invalid — the message on stderr
 * and exit code 1, with no stack trace. Call first thing in `main.ts`.
 */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export interface ApplicationContextOptions {
  /** The process name: logged as `<name> ready`. */
  readonly name: string;
  /** The app's root module, built from the validated config. */
  readonly module: (config: AppConfig) => DynamicModule;
  /** Connection checks to pass before the app calls itself ready; a failure exits 1. */
  readonly verify?: (app: INestApplicationContext) => Promise<void>;
}

/**
 * Boots an app without HTTP: config, Nest context with pino, shutdown hooks, verify, ready.
 * Any failure to start ends the process with exit code 1.
 */
export async function bootstrapApplicationContext(
  options: ApplicationContextOptions,
): Promise<INestApplicationContext> {
  try {
    return await boot(options);
  } catch (error) {
    const detail = error instanceof Error ? error.stack : String(error);
    process.stderr.write(`${options.name} failed to start: ${detail}\n`);
    process.exit(1);
  }
}

async function boot(options: ApplicationContextOptions): Promise<INestApplicationContext> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(options.module(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, SHUTDOWN_OPTIONS);
  const logger = new NestLogger(options.name);
  try {
    await options.verify?.(app);
  } catch (error) {
    logger.error(`${options.name} could not start: ${String(error)}`);
    await app.close();
    process.exit(1);
  }
  logger.log(`${options.name} ready`);
  return app;
}
