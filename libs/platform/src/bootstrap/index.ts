export {
  SHUTDOWN_OPTIONS,
  SHUTDOWN_SIGNALS,
  bootstrapApplicationContext,
  loadConfigOrExit,
  type ApplicationContextOptions,
} from './bootstrap';
