// The port the sender sends through, and its nodemailer adapter (a pooled SMTP transport on SMTP_URL).

import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';

/** Only plain fields: never attachments, paths, URLs or raw sources, which could read files or fetch URLs. */
export interface OutgoingMail {
  readonly messageId: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
}

export interface MailAddress {
  readonly name: string;
  readonly address: string;
}

export interface MailTransport {
  /** Resolves with the relay's final reply; rejects with the transport's error (code, responseCode). */
  send(mail: OutgoingMail): Promise<{ readonly response: string }>;
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
  return {
    async send(mail) {
      const info = await transport.sendMail({
        messageId: mail.messageId,
        from: { ...mail.from },
        to: mail.to.map((address) => ({ ...address })),
        cc: mail.cc.map((address) => ({ ...address })),
        bcc: mail.bcc.map((address) => ({ ...address })),
        subject: mail.subject,
        ...(mail.text === undefined ? {} : { text: mail.text }),
        ...(mail.html === undefined ? {} : { html: mail.html }),
      });
      return { response: String(info.response) };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
