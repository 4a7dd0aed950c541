// A real HTTP webhook receiver on loopback for tests: it records every request (webhook-id, type, email id,
// revision, whether the Standard Webhooks signature verifies) and answers as it is told: 2xx, another status,
// hang past the sender's timeout, or destroy the connection. The signature check is written here on its own
// from the specification (HMAC-SHA256 over `id.timestamp.body`, key = base64 of the secret after `whsec_`),
// not with the code under test, so a signing bug cannot verify itself.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ReceiverAnswer =
  /** That status code, with a short body. */
  | { readonly status: number }
  /** Never answers: the sender's timeout ends the attempt (the socket is closed when the receiver stops). */
  | { readonly hang: true }
  /** Destroys the connection once the request has arrived, with no response at all. */
  | { readonly destroy: true };

export interface ReceivedWebhook {
  readonly webhookId: string;
  readonly timestamp: string;
  readonly type: string | undefined;
  readonly emailId: string | undefined;
  readonly revision: number | undefined;
  readonly validSignature: boolean;
  readonly receivedAt: number;
  /** The answer this request got (or will get, for a hang). */
  readonly answer: ReceiverAnswer;
  readonly body: string;
}

/** What the receiver answers a request: decided per request, so a test can change it over time. */
export type AnswerPolicy = (request: {
  readonly path: string;
  readonly body: string;
}) => ReceiverAnswer;

/** Whether `header` (space-separated `v1,<base64>` entries) holds a valid signature under `secret`. */
export function verifyStandardWebhook(
  secret: string,
  webhookId: string,
  timestamp: string,
  body: string,
  header: string,
): boolean {
  if (!secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || signature === undefined) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface PayloadFields {
  readonly type?: unknown;
  readonly data?: { readonly emailId?: unknown; readonly revision?: unknown };
}

function fieldsOf(body: string): Pick<ReceivedWebhook, 'type' | 'emailId' | 'revision'> {
  try {
    const payload = JSON.parse(body) as PayloadFields;
    return {
      type: typeof payload.type === 'string' ? payload.type : undefined,
      emailId: typeof payload.data?.emailId === 'string' ? payload.data.emailId : undefined,
      revision: typeof payload.data?.revision === 'number' ? payload.data.revision : undefined,
    };
  } catch {
    return { type: undefined, emailId: undefined, revision: undefined };
  }
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly sockets = new Set<Socket>();
  private hanging = 0;

  private constructor(
    private readonly server: Server,
    private readonly secret: string,
    /** What the next request gets; replace it to change the receiver's behaviour. */
    public answer: AnswerPolicy,
  ) {}

  /** Listens on 127.0.0.1:0, verifying signatures with `secret`; answers 200 unless told otherwise. */
  static async start(
    secret: string,
    answer: AnswerPolicy = () => ({ status: 200 }),
  ): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, secret, answer);
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      receiver.handle(request, response),
    );
    const sockets = receiver.sockets;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hook`;
  }

  /** Requests that have arrived and are waiting for an answer that will never come. */
  get requestsHanging(): number {
    return this.hanging;
  }

  /** Answers `status` (200 by default) from now on. */
  answerAlways(status = 200): void {
    this.answer = () => ({ status });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const webhookId = header(request, 'webhook-id');
      const timestamp = header(request, 'webhook-timestamp');
      const answer = this.answer({ path: request.url ?? '', body });
      this.received.push({
        webhookId,
        timestamp,
        ...fieldsOf(body),
        validSignature: verifyStandardWebhook(
          this.secret,
          webhookId,
          timestamp,
          body,
          header(request, 'webhook-signature'),
        ),
        receivedAt: Date.now(),
        answer,
        body,
      });
      if ('status' in answer) {
        response
          .writeHead(answer.status, { 'content-type': 'text/plain' })
          .end(`${answer.status}\n`);
      } else if ('hang' in answer) {
        this.hanging += 1;
        response.on('close', () => (this.hanging -= 1));
      } else {
        request.socket.destroy();
      }
    });
  }
}
