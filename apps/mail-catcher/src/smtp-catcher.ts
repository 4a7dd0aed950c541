import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { CaughtMailStore, RAW_TEXT_LIMIT } from '@app/caught-mail';
import { APP_CONFIG, type AppConfig } from '@app/platform';

/** The largest message accepted (advertised as SIZE); a bigger one is refused with 552. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** On shutdown, how long an open SMTP session may finish before it is told 421 and closed. */
const CLOSE_TIMEOUT_MS = 2000;
/** Only ever on loopback: the catcher has no authentication. */
const HOST = '127.0.0.1';

type SmtpError = Error & { responseCode: number };

function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * An SMTP server for development: no auth, no TLS, on 127.0.0.1 only. Every message it accepts is
 * stored (CaughtMailStore) before the 250, so a sender's "sent" means "listed by the outbox".
 */
@Injectable()
export class SmtpCatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MailCatcher');
  private server: SMTPServer | undefined;
  private boundPort = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: CaughtMailStore,
  ) {}

  /** The port it listens on (0 until started). */
  get port(): number {
    return this.boundPort;
  }

  /** The socket address it listens on, while it does. */
  address(): AddressInfo | undefined {
    return (this.server?.server.address() as AddressInfo | null) ?? undefined;
  }

  /** Migrates the `mail_catcher` schema, then listens on 127.0.0.1:MAIL_CATCHER_PORT. */
  async start(): Promise<void> {
    await this.store.migrate();
    const server = new SMTPServer({
      name: 'mail-catcher.localhost',
      banner: 'mail catcher (development only; mail is kept, never delivered)',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_MESSAGE_BYTES,
      closeTimeout: CLOSE_TIMEOUT_MS,
      logger: false,
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.server.once('error', onError);
      server.listen(this.config.mailCatcherPort, HOST, () => {
        server.server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (error: Error) => this.logger.warn(`SMTP: ${error.message}`));
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.logger.log(`mail catcher listening on smtp://${HOST}:${this.boundPort}`);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    reply: (error?: Error | null) => void,
  ): void {
    let replied = false;
    const callback = (error?: Error): void => {
      if (replied) return;
      replied = true;
      reply(error);
    };
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (kept >= RAW_TEXT_LIMIT) return;
      const part = chunk.subarray(0, RAW_TEXT_LIMIT - kept);
      chunks.push(part);
      kept += part.length;
    });
    stream.on('error', (error: Error) => callback(smtpError(451, `read failed: ${error.message}`)));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        callback(smtpError(552, `message exceeds the ${MAX_MESSAGE_BYTES} byte limit`));
        return;
      }
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      this.store
        .store({ envelopeFrom, envelopeTo, raw: Buffer.concat(chunks), size })
        .then((caught) => {
          this.logger.log(
            `caught ${caught.messageId ?? '(no Message-ID)'} from <${envelopeFrom}> to ` +
              `${envelopeTo.length} recipient(s), ${size} bytes`,
          );
          callback();
        })
        .catch((error: unknown) => {
          this.logger.error(`could not store a message: ${String(error)}`);
          callback(smtpError(451, 'could not store the message, try again later'));
        });
    });
  }
}
