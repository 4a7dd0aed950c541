export {
  ConfigError,
  parseConfig,
  type AppConfig,
  type Environment,
  type InDoubtPolicy,
  type LogFormat,
  type LogLevel,
  type OidcConfig,
  type ProcessFacts,
  type TenantLimitDefaults,
  type WebhookConfig,
  type RecurrenceConfig,
} from './app-config';
export { loadConfig } from './load-config';
export { APP_CONFIG, ConfigModule } from './config.module';
export { parseDuration, parseDurationList } from './duration';
