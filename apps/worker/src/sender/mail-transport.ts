// The port the sender sends through, and its nodemailer adapter (a pooled SMTP transport on SMTP_URL).

import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';

/** Only plain fields and bytes in hand: never paths, URLs or raw sources, which could read files or fetch URLs. */
export interface OutgoingMail {
  readonly messageId: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly replyTo?: readonly MailAddress[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  /** The owner's own headers, checked by the domain (no owned names, no line breaks): written as given. */
  readonly headers?: readonly MailHeader[];
  /** Bytes in hand, never a path or URL (the transport refuses file and URL access anyway). */
  readonly attachments?: readonly OutgoingAttachment[];
}

export interface MailHeader {
  readonly name: string;
  readonly value: string;
}

export interface OutgoingAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
  /** An inline part's Content-ID, which the html references as `cid:`. */
  readonly cid?: string;
}

export interface MailAddress {
  readonly name: string;
  readonly address: string;
}

/** When a send must stop, so that it never outlives its attempt's lease (ADR 0006). */
export interface SendDeadline {
  /**
   * `performance.now()` after which the message's final dot is never written: the send fails with
   * {@link FINAL_DOT_TOO_LATE} and the relay, which stores nothing before that dot, has accepted nothing.
   */
  readonly finalDotBy: number;
  /** Aborts the send wherever it is (waiting for a connection, or for the relay's answer). */
  readonly signal: AbortSignal;
  /** Awaited before the message's first byte goes to the relay (the MIN_SEND_GAP_MS hand-off). */
  readonly beforeBody?: () => Promise<void>;
}

/** The error code of a send stopped at its final-dot deadline. */
export const FINAL_DOT_TOO_LATE = 'ELEASE';
/** The error code of a send whose MIN_SEND_GAP_MS hand-off (Redis) failed before any byte of it went. */
export const HAND_OFF_FAILED = 'EHANDOFF';

/**
 * The final dot went and no reply came (the abort at the end of the lease budget, a socket timeout, a reset):
 * the relay may have stored the message or not. Not a failure to retry: an attempt in doubt.
 */
export class UnansweredSendError extends Error {
  override readonly name = 'UnansweredSendError';

  constructor(override readonly cause: unknown) {
    super(`no reply to the final dot: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface MailTransport {
  /** Resolves with the relay's final reply; rejects with the transport's error (code, responseCode). */
  send(mail: OutgoingMail, deadline: SendDeadline): Promise<{ readonly response: string }>;
  /** Resolves when the relay answers a connection. */
  verify(): Promise<void>;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** Where the worker sends when SMTP_URL is unset: the local catcher on MAIL_CATCHER_PORT. */
export function mailCatcherUrl(port: number): string {
  return `smtp://127.0.0.1:${port}`;
}

export interface SmtpTransportOptions {
  readonly url: string;
  readonly poolSize: number;
  /** An attempt's lease: every SMTP timeout is kept well inside it, so a live send never runs past it. */
  readonly leaseMs: number;
}

/**
 * Messages a pooled connection carries before it is replaced. nodemailer's default is 100, and every new
 * connection waits out the relay's greeting (smtp-server, like Postfix's postscreen, pauses it to catch
 * clients that talk too early): at 200 emails/s over 5 connections that pause held up a send every half
 * second (bench/RESULTS.md). A relay that wants fewer per connection closes it, and the pool reconnects.
 */
export const MESSAGES_PER_CONNECTION = 1_000;

export function createSmtpTransport(options: SmtpTransportOptions): MailTransport {
  const timeout = Math.max(500, Math.floor(options.leaseMs / 3));
  const transport = createTransport({
    pool: true,
    url: options.url,
    maxConnections: options.poolSize,
    maxMessages: MESSAGES_PER_CONNECTION,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const logger = new Logger('SmtpTransport');
  transport.on('error', (error: unknown) => logger.warn(`SMTP pool: ${String(error)}`));
  // Every message reaches the relay through a gate (FinalDotGate); nodemailer writes the final dot only once
  // the gate has ended, and closes the connection when it fails instead.
  transport.use('stream', (mail, done) => {
    const guard = (mail.data as { finalDotGuard?: FinalDotGuardState }).finalDotGuard;
    if (guard) mail.message.processFunc((input: Readable) => new FinalDotGate(input, guard));
    done();
  });
  return {
    async send(mail, deadline) {
      const guard: FinalDotGuardState = {
        finalDotBy: deadline.finalDotBy,
        beforeBody: deadline.beforeBody,
        tripped: false,
        ended: false,
      };
      const options = {
        signal: deadline.signal,
        finalDotGuard: guard,
        messageId: mail.messageId,
        from: { ...mail.from },
        to: mail.to.map((address) => ({ ...address })),
        cc: mail.cc.map((address) => ({ ...address })),
        bcc: mail.bcc.map((address) => ({ ...address })),
        ...(mail.replyTo === undefined
          ? {}
          : { replyTo: mail.replyTo.map((address) => ({ ...address })) }),
        subject: mail.subject,
        ...(mail.text === undefined ? {} : { text: mail.text }),
        ...(mail.html === undefined ? {} : { html: mail.html }),
        // A list of {key, value}, not an object: nodemailer then adds each once, in order, under the name as
        // given (an object's keys would merge two names differing in case).
        ...(mail.headers === undefined
          ? {}
          : { headers: mail.headers.map(({ name, value }) => ({ key: name, value })) }),
        ...(mail.attachments === undefined
          ? {}
          : { attachments: mail.attachments.map((attachment) => ({ ...attachment })) }),
      };
      try {
        const info = await transport.sendMail(options);
        return { response: String(info.response) };
      } catch (error) {
        if (guard.tripped) {
          throw Object.assign(
            new Error('the final dot would have come after the lease deadline: nothing was sent'),
            { code: FINAL_DOT_TOO_LATE },
          );
        }
        // After the final dot, a failure without a reply leaves it open whether the relay stored it.
        if (guard.ended && (error as { responseCode?: unknown }).responseCode === undefined) {
          throw new UnansweredSendError(error);
        }
        throw error;
      }
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}

interface FinalDotGuardState {
  readonly finalDotBy: number;
  readonly beforeBody: (() => Promise<void>) | undefined;
  /** The deadline had passed when the message was about to end: nothing was sent. */
  tripped: boolean;
  /** The message was let end: nodemailer writes the final dot next, and the relay may store it. */
  ended: boolean;
}

/**
 * The message as the relay pulls it, the last stage before nodemailer's dot-stuffing stream. nodemailer builds
 * the message as soon as a connection is assigned, before MAIL FROM, and only pipes it after the relay's 354:
 * a transform's end would be decided while the envelope is still being exchanged. This stream reads ahead of
 * nothing (highWaterMark 0), so its first `_read` comes from the pipe after 354 (the hand-off gate runs then)
 * and its end is decided only when the relay has taken everything else: past the deadline it fails instead,
 * and nodemailer closes the connection without the final dot.
 */
class FinalDotGate extends Readable {
  private inputEnded = false;
  private wanted = false;
  private started = false;

  constructor(
    private readonly input: Readable,
    private readonly state: FinalDotGuardState,
  ) {
    super({ highWaterMark: 0 });
    input.on('data', (chunk: Buffer) => {
      this.wanted = false;
      if (!this.push(chunk)) input.pause();
    });
    input.once('end', () => {
      this.inputEnded = true;
      if (this.wanted) this.finish();
    });
    input.once('error', (error: Error) => this.destroy(error));
    input.pause();
  }

  override _read(): void {
    if (!this.started && this.state.beforeBody) {
      this.started = true;
      this.state.beforeBody().then(
        () => this.pull(),
        (error: unknown) =>
          this.destroy(
            Object.assign(new Error(`the hand-off to the relay failed: ${String(error)}`), {
              code: HAND_OFF_FAILED,
            }),
          ),
      );
      return;
    }
    this.started = true;
    this.pull();
  }

  private pull(): void {
    this.wanted = true;
    if (this.inputEnded) this.finish();
    else this.input.resume();
  }

  private finish(): void {
    this.wanted = false;
    if (performance.now() <= this.state.finalDotBy) {
      this.state.ended = true;
      this.push(null);
      return;
    }
    this.state.tripped = true;
    this.destroy(new Error('final dot deadline passed'));
  }
}
