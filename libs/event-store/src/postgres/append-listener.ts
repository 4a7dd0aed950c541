import { Client, type ClientConfig } from 'pg';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * One dedicated LISTEN connection per store, shared by its subscriptions. It wakes every waiting
 * subscription when a notification arrives, and reconnects by itself with backoff; while it is
 * down, subscriptions still make progress through their safety-net poll.
 */
export class AppendListener {
  private client: Client | undefined;
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs = RECONNECT_MIN_MS;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
  ) {}

  start(): void {
    void this.connect();
  }

  /** Resolves on the next notification, after `timeoutMs`, or when `signal` aborts. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.wakeAll();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client(this.config);
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.backoffMs = RECONNECT_MIN_MS;
      // Anything appended while we were not listening went unannounced.
      this.wakeAll();
    } catch {
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, RECONNECT_MAX_MS);
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
