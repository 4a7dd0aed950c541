// The nodemailer transport's lease guards against a real SMTP server on loopback: the final dot never goes
// after its deadline, however slowly the relay answers the envelope, and a send whose final dot went
// without a reply says so (in doubt), rather than failing as if the relay had refused it.

import { performance } from 'node:perf_hooks';
import { SmtpSink, waitFor } from '@app/testing';
import {
  createSmtpTransport,
  FINAL_DOT_TOO_LATE,
  UnansweredSendError,
  type MailTransport,
  type OutgoingMail,
} from './mail-transport';

/** A relay slow to answer: the sink's hook that keeps its reply back for `ms`. */
const answerAfter = (ms: number) => (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

function mail(to: string): OutgoingMail {
  return {
    messageId: `<${to}>`,
    from: { name: '', address: 'sender@example.com' },
    to: [{ name: '', address: to }],
    cc: [],
    bcc: [],
    subject: 'lease',
    text: 'hello',
  };
}

/** A header field of the raw message's head, each as its unfolded text; RFC 2047 words decoded. */
function fields(head: string, name: string): string[] {
  return head
    .replace(/\r?\n[ \t]/g, ' ')
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => decodeWords(line.slice(name.length + 1).trim()));
}

function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
    );
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the send to fail');
}

describe('SMTP transport inside the lease', () => {
  let sink: SmtpSink;
  let transport: MailTransport;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    transport = createSmtpTransport({ url: sink.url, poolSize: 1, leaseMs: 30_000 });
    await transport.verify();
  });

  afterAll(async () => {
    transport.close();
    await sink.stop();
  });

  it('sends when the relay takes the envelope in time, the hand-off gate running once the body is wanted', async () => {
    let handedOffAt = 0;
    sink.answer('in-time@example.com', { atRcpt: answerAfter(100) });
    const startedAt = performance.now();
    const { response } = await transport.send(mail('in-time@example.com'), {
      finalDotBy: startedAt + 2_000,
      signal: AbortSignal.timeout(10_000),
      beforeBody: () => {
        handedOffAt = performance.now();
        return Promise.resolve();
      },
    });
    expect(response).toMatch(/^250/);
    // After RCPT TO was answered: the gate is passed when the relay is ready for the body.
    expect(handedOffAt - startedAt).toBeGreaterThanOrEqual(100);
    expect(sink.accepted('<in-time@example.com>')).toHaveLength(1);
  });

  it('never writes the final dot after its deadline, however small the message: the relay stores nothing', async () => {
    sink.answer('slow-envelope@example.com', { atRcpt: answerAfter(700) });
    const startedAt = performance.now();
    const error = await rejection(
      transport.send(mail('slow-envelope@example.com'), {
        finalDotBy: startedAt + 300,
        signal: AbortSignal.timeout(10_000),
      }),
    );
    expect(error).toMatchObject({ code: FINAL_DOT_TOO_LATE });
    await waitFor(
      'the transport to close the session without its final dot',
      () => sink.openConnections === 0,
    );
    expect(sink.received('<slow-envelope@example.com>')).toHaveLength(0);
  });

  it('a final dot with no reply before the abort is in doubt, not a failure: the relay did store it', async () => {
    sink.answer('no-reply@example.com', { hold: true });
    const error = await rejection(
      transport.send(mail('no-reply@example.com'), {
        finalDotBy: performance.now() + 5_000,
        signal: AbortSignal.timeout(500),
      }),
    );
    expect(error).toBeInstanceOf(UnansweredSendError);
    expect(sink.received('<no-reply@example.com>')).toHaveLength(1);
    sink.release();
  });

  it("writes Reply-To and each of the owner's headers exactly once, values intact (folded or encoded only as RFC 5322/2047 allow)", async () => {
    const long = `spring-${'x'.repeat(150)}`;
    const headers = [
      { name: 'X-Campaign', value: 'spring' },
      { name: 'List-Unsubscribe', value: '<mailto:unsubscribe@example.com?subject=stop>' },
      { name: 'X-Long', value: long },
      { name: 'X-Accent', value: 'Déjà vu — ünïcode' },
    ];
    await transport.send(
      {
        ...mail('headers@example.com'),
        replyTo: [{ name: 'Support Desk', address: 'support@example.com' }],
        headers,
      },
      { finalDotBy: performance.now() + 5_000, signal: AbortSignal.timeout(10_000) },
    );
    const [received] = sink.accepted('<headers@example.com>');
    const head = received?.headers ?? '';
    expect(fields(head, 'Reply-To')).toEqual(['Support Desk <support@example.com>']);
    for (const { name, value } of headers) expect(fields(head, name)).toEqual([value]);
  });
});
