import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { toErrorBody } from './error-body';

interface JsonResponse {
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  headersSent?: boolean;
}

/** The API's one exception filter: domain, store and HTTP errors all leave in the contract's shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (exception instanceof HttpException && isOwnShape(exception.getResponse())) {
      // A body with a contract of its own (Terminus's health report) leaves as it is.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    if (response.headersSent) return;
    if (body.statusCode === 503) response.setHeader('Retry-After', '1');
    // A quota's 429 (and a CSV import stopped by one) says when to try again, in its details too.
    const retryAfter = (body.details as { retryAfterSeconds?: unknown } | undefined)
      ?.retryAfterSeconds;
    if (body.statusCode === 429 && typeof retryAfter === 'number')
      response.setHeader('Retry-After', String(retryAfter));
    response.status(body.statusCode).json(body);
  }
}

/** Neither Nest's `{statusCode, message}` nor a plain string: someone chose this body on purpose. */
function isOwnShape(response: string | object): boolean {
  return typeof response === 'object' && !('message' in response) && !('statusCode' in response);
}
