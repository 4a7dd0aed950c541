import { Injectable, type NestMiddleware } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The little of Express's request and response the middleware reads. */
interface MetricsRequest {
  readonly method: string;
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

interface MetricsResponse {
  readonly statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** Requests that matched no route share one label, so unknown paths cannot blow up cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Counts and times every request once its response is finished, labelled by route template. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<MetricsRequest, MetricsResponse> {
  constructor(private readonly metrics: MetricsService) {}

  use(request: MetricsRequest, response: MetricsResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    // Nest mounts this middleware as an Express route of its own (`/{*path}`): that is not a match.
    const ownRoute = request.route;
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.recordRequest(
        request.method,
        routeOf(request, ownRoute),
        response.statusCode,
        seconds,
      );
    };
    response.once('finish', record);
    response.once('close', record);
    next();
  }
}

/** Express sets `req.route` on the matched route: its template (`/v1/emails/:id`), never the raw URL. */
export function routeOf(request: MetricsRequest, ownRoute?: MetricsRequest['route']): string {
  if (request.route === ownRoute) return UNMATCHED_ROUTE;
  const path = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}
