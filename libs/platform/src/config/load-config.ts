import { parseConfig, type AppConfig } from './app-config';

/**
 * The one place that reads `process.env`, and whether stdout is a terminal (LOG_FORMAT's default).
 * Throws ConfigError when it is invalid.
 */
export function loadConfig(): AppConfig {
  return parseConfig(process.env, { stdoutIsTty: process.stdout.isTTY === true });
}
