/**
 * The end-to-end benchmarks' SMTP sink in a process of its own, so that whatever the benchmark process
 * does meanwhile (scheduling hundreds of emails a second over HTTP) never slows the relay the senders
 * talk to. It prints `ready <port>`, then one `<receivedAt> <Message-ID>` line per accepted message.
 *
 *   ts-node bench/sink-process.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT, SmtpSink, waitFor } from '@app/testing';

/** How often the child reports what arrived; arrival times are taken when each message is stored. */
const REPORT_EVERY_MS = 20;

export class SinkProcess {
  private readonly arrivals = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<SinkProcess> {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let sink: SinkProcess | undefined;
    const ready = new Promise<SinkProcess>((resolve, reject) => {
      child.once('exit', () => reject(new Error('the sink process exited')));
      lines.on('line', (line) => {
        const [first = '', rest = ''] = [
          line.slice(0, line.indexOf(' ')),
          line.slice(line.indexOf(' ') + 1),
        ];
        if (first === 'ready') {
          sink = new SinkProcess(child, `smtp://127.0.0.1:${rest}`);
          resolve(sink);
        } else if (sink && !sink.arrivals.has(rest)) {
          sink.arrivals.set(rest, Number(first));
        }
      });
    });
    return ready;
  }

  /** When the message with this Message-ID was first stored, or undefined. */
  arrival(messageId: string): number | undefined {
    return this.arrivals.get(messageId);
  }

  /** Waits until every Message-ID has arrived; returns their arrival times, in order. */
  async arrivalsOf(messageIds: readonly string[], timeoutMs: number): Promise<number[]> {
    await waitFor(
      `${messageIds.length} emails at the sink`,
      () => messageIds.every((id) => this.arrivals.has(id)),
      timeoutMs,
      50,
    );
    return messageIds.map((id) => this.arrivals.get(id) ?? NaN);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

async function runSink(): Promise<void> {
  const sink = await SmtpSink.start();
  process.stdout.write(`ready ${sink.port}\n`);
  let reported = 0;
  const report = (): void => {
    const lines: string[] = [];
    for (; reported < sink.messages.length; reported += 1) {
      const message = sink.messages[reported];
      if (message?.answer === 250 && message.messageId) {
        lines.push(`${message.receivedAt} ${message.messageId}`);
      }
    }
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  };
  const timer = setInterval(report, REPORT_EVERY_MS);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    report();
    void sink.stop().then(() => process.exit(0));
  });
}

if (require.main === module) void runSink();
