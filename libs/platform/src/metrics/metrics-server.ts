import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config';
import { errorMessage } from '../logging/error-message';
import { listeningUrl } from '../process/listening-url';
import { MetricsRegistry } from './metrics-registry';

/**
 * For the processes without an HTTP API (worker, projector): when METRICS_PORT is set, a bare HTTP
 * listener on it (on METRICS_HOST: loopback unless an operator opens it to a scraper) answering `GET /metrics` (the registry, in Prometheus's text format) and
 * `GET /health/live` (200 while the event loop turns: what container health checks ask).
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `http://<address>:<port>` as bound, once listening. */
  get url(): string | undefined {
    return this.server === undefined ? undefined : listeningUrl(this.server);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === undefined) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        this.metrics.render().then(
          (text) =>
            response
              .writeHead(200, {
                'content-type': this.metrics.contentType,
                'cache-control': 'no-store',
              })
              .end(text),
          (error: unknown) => {
            this.logger.warn(`could not render the metrics: ${errorMessage(error)}`);
            response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
          },
        );
      } else if (path === '/health/live') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.metricsHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`metrics on ${this.url}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
