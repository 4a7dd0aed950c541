export { errorMessage } from './error-message';
export { LoggingModule, requestId, type LoggingOptions } from './logging.module';
