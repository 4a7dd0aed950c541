export { LoggingModule, requestId, type LoggingOptions } from './logging.module';
