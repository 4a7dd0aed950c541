import { Client } from 'pg';

/** The key of the session advisory lock whose holder is the one active projector. */
export const PROJECTOR_LOCK_KEY = 'read_model:projector:emails';

export interface LeaderLockOptions {
  readonly connectionString: string;
  /** How often a standby tries for the lock, and how often the holder checks its connection. */
  readonly intervalMs?: number;
}

/**
 * A Postgres session advisory lock on a dedicated connection. The lock lives exactly as long as
 * that session: if the connection dies (or the process is killed) the server releases it, and
 * `lost` settles so the holder stops projecting at once.
 */
export class LeaderLock {
  private client: Client | undefined;
  private onLost: (() => void) | undefined;

  constructor(private readonly options: LeaderLockOptions) {}

  /**
   * Connects and tries for the lock once. Resolves true when this session now holds it; throws
   * when Postgres cannot be reached (the caller backs off and tries again).
   */
  async tryAcquire(): Promise<boolean> {
    if (!this.client) {
      const client = new Client({
        connectionString: this.options.connectionString,
        application_name: 'projector-leader',
        connectionTimeoutMillis: 5_000,
        keepAlive: true,
      });
      client.on('error', () => this.drop());
      client.on('end', () => this.drop());
      this.client = client;
      try {
        await client.connect();
      } catch (error) {
        this.drop();
        throw error;
      }
    }
    const { rows } = await this.client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [PROJECTOR_LOCK_KEY],
    );
    return rows[0]?.locked === true;
  }

  /** Resolves when the held lock is lost: the connection failed or stopped answering. */
  held(signal: AbortSignal): Promise<void> {
    const intervalMs = this.options.intervalMs ?? 300;
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.onLost = undefined;
        resolve();
      };
      this.onLost = finish;
      signal.addEventListener('abort', finish);
      if (signal.aborted || !this.client) return finish();
      // Traffic on the session is what notices a terminated backend or a dead server.
      const check = (): void => {
        const client = this.client;
        if (!client) return finish();
        const watchdog = setTimeout(() => this.drop(), Math.max(intervalMs * 10, 3_000));
        client.query('SELECT 1').then(
          () => {
            clearTimeout(watchdog);
            if (this.onLost === finish) timer = setTimeout(check, intervalMs);
          },
          () => {
            clearTimeout(watchdog);
            this.drop();
          },
        );
      };
      timer = setTimeout(check, intervalMs);
    });
  }

  /** Releases the lock and closes the session. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [PROJECTOR_LOCK_KEY])
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
    this.onLost?.();
  }
}
