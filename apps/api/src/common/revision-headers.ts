import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  PreconditionFailedException,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { type Observable, tap } from 'rxjs';

/**
 * The revision an `If-Match` header asks for: `3`, `"3"` or `W/"3"`; absent or `*` match any
 * revision (undefined); anything else is 412. Called in the handler, after the id and the body have
 * passed their pipes, so a request that is bad in both answers 400 naming the field.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new PreconditionFailedException('If-Match must be a revision such as "3"');
  }
  return Number(match[1]);
}

/**
 * `ETag: "<revision>"` from the body a route answers with, when it carries a revision (an email
 * written or read, a history replayed up to one): the value a later `If-Match` sends back.
 */
@Injectable()
export class RevisionEtag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      tap((body: unknown) => {
        const revision = (body as { revision?: unknown } | null)?.revision;
        if (typeof revision === 'number') response.setHeader('ETag', `"${revision}"`);
      }),
    );
  }
}
