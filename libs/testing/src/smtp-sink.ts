// A real SMTP server on loopback for tests: it records every message it receives (envelope, Message-ID,
// time, the raw text) and answers as it is told, per recipient: accept (250), a reply code (451, 550…),
// hold the reply until released (a send in flight), run a hook at RCPT TO (before DATA) or between storing
// and answering, or stall at DATA without ever storing; it can keep the next connection's greeting back
// while a hook runs, and go down and come back on the same port. So tests reach every branch (and every
// crash point) of the send path over a real socket.

import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export type SinkAnswer =
  /** That reply code with this text: 250 accepts (its text then the relay's whole reply), others refuse. */
  | { readonly code: number; readonly message?: string }
  /** Receives the message, then keeps the reply back until `release()` (or the client goes away). */
  | { readonly hold: true }
  /** At RCPT TO, before any DATA: awaits the hook (e.g. a kill -9 of the sender), then accepts the recipient. */
  | { readonly atRcpt: SessionHook }
  /** Stores the message, awaits the hook (e.g. a kill -9 of the sender), then answers 250. */
  | { readonly storeThen: SessionHook }
  /** At DATA, reads nothing, stores nothing and never answers; the hook is called once DATA has begun. */
  | { readonly stallData: SessionHook }
  /**
   * A hostile relay: stores the message, writes this reply line as is (a NUL, any bytes smtp-server itself
   * would never send) straight to the socket, then drops the connection. Its first three digits are the code.
   */
  | { readonly rawReply: string };

/** Runs inside an SMTP session; `clientPort` is the sender's local port (see pidOwningPort). */
export type SessionHook = (clientPort: number) => void | Promise<void>;

export interface ReceivedMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly messageId: string | undefined;
  readonly receivedAt: number;
  /** The sender's local port of the session that carried it (see localPortsOf). */
  readonly clientPort: number;
  /** The message as it came over the wire (dot-unstuffed), and its header block. */
  readonly raw: string;
  readonly headers: string;
  /** The code the sink answered the DATA with; undefined while held. */
  answer: number | undefined;
}

export class SmtpSink {
  readonly messages: ReceivedMessage[] = [];
  /** The same messages by Message-ID: suites with thousands of emails look them up in a loop. */
  private readonly byMessageId = new Map<string, ReceivedMessage[]>();
  private readonly answers = new Map<string, SinkAnswer[]>();
  private readonly held: (() => void)[] = [];
  private server: SMTPServer | undefined;
  private greetingHook: (() => Promise<void>) | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** A slow relay: every 250 goes this long after the message's final dot. */
  replyDelayMs = 0;

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await sink.listen(0);
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The next answers for messages whose first recipient is `address`; afterwards, 250. */
  answer(address: string, ...answers: SinkAnswer[]): void {
    this.answers.set(address.toLowerCase(), answers);
  }

  /** Accepted (250) messages carrying this Message-ID. */
  accepted(messageId: string): ReceivedMessage[] {
    return this.received(messageId).filter((m) => m.answer === 250);
  }

  received(messageId: string): readonly ReceivedMessage[] {
    return this.byMessageId.get(messageId) ?? [];
  }

  /** The next connection gets its 220 greeting only once `run` has settled (nothing else happens first). */
  stallNextGreeting(run: () => Promise<void>): void {
    this.greetingHook = run;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Client connections open now: none means no session is left that could still store a message. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Answers every held message with 250. */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  /** The relay crashes: open connections drop and the port refuses new ones until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async up(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.release();
    if (!server) return;
    // smtp-server waits up to its closeTimeout (30 s) for open sessions: end them, as down() does.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async listen(port: number): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onConnect: (_session, callback) => {
        const hook = this.greetingHook;
        this.greetingHook = undefined;
        if (!hook) return callback();
        hook().then(
          () => callback(),
          () => callback(),
        );
      },
      onRcptTo: (address, session, callback) => {
        const answers = this.answers.get(address.address.toLowerCase());
        const next = answers?.[0];
        if (!next || !('atRcpt' in next)) return callback();
        answers.shift();
        Promise.resolve(next.atRcpt(session.remotePort)).then(
          () => callback(),
          () => callback(),
        );
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  private onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null, reply?: string) => void,
  ): void {
    const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
    const next = this.answers.get(to[0] ?? '')?.[0];
    if (next && 'stallData' in next) {
      // The body is left unread: the message is never complete, so never stored or answered.
      this.answers.get(to[0] ?? '')?.shift();
      void Promise.resolve(next.stallData(session.remotePort)).catch(() => undefined);
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const message: ReceivedMessage = {
        from,
        to,
        messageId: /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(headers)?.[1],
        receivedAt: Date.now(),
        clientPort: session.remotePort,
        raw,
        headers,
        answer: undefined,
      };
      this.messages.push(message);
      if (message.messageId !== undefined) {
        const same = this.byMessageId.get(message.messageId);
        if (same) same.push(message);
        else this.byMessageId.set(message.messageId, [message]);
      }
      const answer = this.answers.get(to[0] ?? '')?.shift();
      if (answer && 'hold' in answer) {
        this.held.push(() => {
          message.answer = 250;
          callback();
        });
        return;
      }
      if (answer && 'storeThen' in answer) {
        // Stored first; the hook runs before the 250, which may then reach a client long gone.
        Promise.resolve(answer.storeThen(session.remotePort)).then(
          () => {
            message.answer = 250;
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
        return;
      }
      if (answer && 'stallData' in answer) return;
      if (answer && 'rawReply' in answer) {
        const socket = [...this.sockets].find((s) => s.remotePort === session.remotePort);
        message.answer = Number(answer.rawReply.slice(0, 3));
        socket?.write(`${answer.rawReply}\r\n`, () => setTimeout(() => socket.destroy(), 50));
        return;
      }
      if (answer && 'code' in answer && answer.code !== 250) {
        message.answer = answer.code;
        const error = new Error(answer.message ?? `test sink answers ${answer.code}`) as Error & {
          responseCode: number;
        };
        error.responseCode = answer.code;
        callback(error);
        return;
      }
      const accept = (): void => {
        message.answer = 250;
        if (answer && 'code' in answer && answer.message !== undefined) {
          callback(null, answer.message);
        } else callback();
      };
      if (this.replyDelayMs > 0) setTimeout(accept, this.replyDelayMs);
      else accept();
    });
  }
}
