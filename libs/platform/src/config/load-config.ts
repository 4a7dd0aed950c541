import { parseConfig, type AppConfig } from './app-config';

/** The one place that reads `process.env`. Throws ConfigError when it is invalid. */
export function loadConfig(): AppConfig {
  return parseConfig(process.env);
}
