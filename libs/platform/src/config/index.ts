export {
  ConfigError,
  parseConfig,
  type AppConfig,
  type Environment,
  type InDoubtPolicy,
  type LogLevel,
  type OidcConfig,
} from './app-config';
export { loadConfig } from './load-config';
export { APP_CONFIG, ConfigModule } from './config.module';
