import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config';

const REQUEST_ID_HEADER = 'x-request-id';

/** The caller's `x-request-id` when it is a sane token, else a fresh UUID; echoed on the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const id = typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export interface LoggingOptions {
  /** The process name, on every line as `name`: api, worker, projector. */
  readonly name: string;
}

/**
 * What a request's completion line says of it: enough to find it (id, method, path, client) and what
 * became of it. Never its headers: they hold credentials and cookies, and at a thousand requests a
 * second the full request and response headers were a fifth of the api's CPU (bench/RESULTS.md).
 */
const serializers = {
  req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
    id: req.id,
    method: req.method,
    url: req.url,
    remoteAddress: req.remoteAddress,
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

/**
 * JSON logs through pino at the configured level. In HTTP apps every request gets an id and a
 * completion line (health probes excepted); apps without HTTP use the same Logger.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              name: options.name,
              level: config.logLevel,
              genReqId: requestId,
              serializers,
              autoLogging: { ignore: (req: IncomingMessage) => !!req.url?.startsWith('/health/') },
            },
          }),
        }),
      ],
    };
  }
}
