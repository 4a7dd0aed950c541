import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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
 * Query parameters whose values are credentials in flight: the authorization `code` and `state` an
 * OpenID Connect provider sends to the api's callback (a code is worth a session until redeemed).
 * No route of the service uses either name for anything else.
 */
const SECRET_QUERY_PARAMETERS = new Set(['code', 'state']);

function queryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** `url` as logged: the values of SECRET_QUERY_PARAMETERS replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((part) => {
      const name = part.split('=', 1)[0] ?? '';
      return SECRET_QUERY_PARAMETERS.has(queryName(name)) ? `${name}=[redacted]` : part;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

/**
 * What a request's completion line says of it: enough to find it (id, method, path, client) and what
 * became of it, its URL without credentials (redactUrl). Never its headers: they hold credentials and cookies, and at a thousand requests a
 * second the full request and response headers were a fifth of the api's CPU (bench/RESULTS.md).
 */
const serializers = {
  req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
    id: req.id,
    method: req.method,
    url: redactUrl(req.url),
    remoteAddress: req.remoteAddress,
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

/** pino-http's options for the process `name`: ids, the serializers above, no health probes. */
export function requestLogOptions(name: string, config: Pick<AppConfig, 'logLevel'>) {
  return {
    name,
    level: config.logLevel,
    genReqId: requestId,
    serializers,
    autoLogging: { ignore: (req: IncomingMessage) => !!req.url?.startsWith('/health/') },
  };
}

/** Fields the pretty line leaves out: the same on every line, or already in its message. */
const PRETTY_IGNORED = 'pid,hostname,name,context,req,res,responseTime';

/**
 * A pretty line's message: `Context: message`, and for a line about a request (its completion line
 * or one logged while serving it), `(METHOD url → status in N ms)` as far as the line knows them.
 */
export function prettyMessage(log: Readonly<Record<string, unknown>>, messageKey: string): string {
  const context = typeof log.context === 'string' ? `${log.context}: ` : '';
  const text = log[messageKey] ?? '';
  const message = `${context}${typeof text === 'string' ? text : JSON.stringify(text)}`;
  const req = log.req as { method?: unknown; url?: unknown } | undefined;
  if (typeof req?.method !== 'string' || typeof req.url !== 'string') return message;
  const status = (log.res as { statusCode?: unknown } | undefined)?.statusCode;
  const ended = typeof status === 'number' ? ` → ${status}` : '';
  const took = typeof log.responseTime === 'number' ? ` in ${log.responseTime} ms` : '';
  return `${message} (${req.method} ${req.url}${ended}${took})`;
}

/**
 * pino-pretty, loaded only when asked for (the config refuses LOG_FORMAT=pretty with
 * NODE_ENV=production, where logs are for machines). Colours are
 * forced because the terminal decided the format (`npm start` pipes its children's stdout); writes
 * are synchronous so a line is out before the process exits and in order with stderr.
 */
async function prettyStream(): Promise<DestinationStream> {
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    colorize: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: PRETTY_IGNORED,
    singleLine: true,
    messageFormat: prettyMessage,
  });
}

/**
 * Logs through pino at the configured level: one JSON object a line, or with LOG_FORMAT=pretty
 * coloured lines for a person. In HTTP apps every request gets an id and a completion line (health
 * probes excepted); apps without HTTP use the same Logger.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig): Promise<Params> => {
            const pinoHttp = requestLogOptions(options.name, config);
            switch (config.logFormat) {
              case 'json':
                return { pinoHttp };
              case 'pretty':
                return { pinoHttp: [pinoHttp, await prettyStream()] };
            }
          },
        }),
      ],
    };
  }
}
