import { HttpException, HttpStatus } from '@nestjs/common';
import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '@app/domain';
import { ConcurrencyError, StreamNotFoundError } from '@app/event-store';
import { QuotaExceededError } from '../quotas/quota-exceeded.error';
import { isServiceUnavailable } from './service-unavailable';

/** The one error shape of the public contract. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly details?: unknown;
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function body(statusCode: number, message: string, details?: unknown): ErrorBody {
  return {
    statusCode,
    error: REASON_PHRASES[statusCode] ?? (statusCode >= 500 ? 'Server Error' : 'Error'),
    message,
    ...(details === undefined ? {} : { details }),
  };
}

/** What body-parser throws: a plain error carrying its status and a `type`. */
function bodyParserError(error: unknown): { status: number; type: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, type } = error as { status?: unknown; type?: unknown };
  return typeof status === 'number' && typeof type === 'string' ? { status, type } : undefined;
}

/** Maps anything thrown while handling a request to the contract's status and body. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ValidationError) {
    return body(HttpStatus.BAD_REQUEST, error.message, error.issues);
  }
  if (error instanceof ForbiddenError) {
    // Details as a 400's are, so a client reads the field at fault the same way for both.
    return body(HttpStatus.FORBIDDEN, error.message, [error.issue]);
  }
  if (error instanceof IllegalStateError) {
    return body(HttpStatus.CONFLICT, error.reason, { status: error.status });
  }
  if (error instanceof NotFoundError || error instanceof StreamNotFoundError) {
    return body(HttpStatus.NOT_FOUND, 'no such email');
  }
  if (error instanceof QuotaExceededError) {
    return body(HttpStatus.TOO_MANY_REQUESTS, error.message, error.refusal);
  }
  if (error instanceof ConcurrencyError) {
    return body(HttpStatus.CONFLICT, 'the email was changed concurrently; try again');
  }
  if (error instanceof HttpException) return fromHttpException(error);
  const parser = bodyParserError(error);
  if (parser?.type === 'entity.too.large') {
    return body(HttpStatus.PAYLOAD_TOO_LARGE, 'request body is too large');
  }
  if (parser?.type === 'entity.too.deep' || parser?.type === 'entity.nul.character') {
    // body-parser reports every verify failure as 403; these bodies are bad requests.
    return body(HttpStatus.BAD_REQUEST, error instanceof Error ? error.message : 'bad request');
  }
  if (parser?.type === 'entity.parse.failed') {
    return body(HttpStatus.BAD_REQUEST, 'malformed JSON in the request body');
  }
  if (parser && parser.status >= 400 && parser.status < 500) {
    return body(parser.status, error instanceof Error ? error.message : 'bad request');
  }
  if (isServiceUnavailable(error)) {
    return body(HttpStatus.SERVICE_UNAVAILABLE, 'a backing service is unavailable; retry shortly');
  }
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'internal server error');
}

function fromHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return body(status, response);
  const { message, details } = response as { message?: unknown; details?: unknown };
  const text = Array.isArray(message)
    ? message.map(String).join('; ')
    : typeof message === 'string'
      ? message
      : exception.message;
  // Nest maps body-parser's errors to these before filters see them; give them our wording.
  if (status === 413 && details === undefined) return body(status, 'request body is too large');
  return body(status, text, details);
}
