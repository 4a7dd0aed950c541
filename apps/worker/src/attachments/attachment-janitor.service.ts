// Runs the purge janitor in every worker process, one run at a time, every ATTACHMENT_PURGE_INTERVAL_MS. A run
// that dies halfway leaves its holders due: the next run anywhere takes them.

import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AttachmentStore } from '@app/attachments';
import { APP_CONFIG, errorMessage, type AppConfig } from '@app/platform';
import { AttachmentJanitor } from './attachment-janitor';

@Injectable()
export class AttachmentJanitorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AttachmentJanitor');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: AttachmentStore,
    private readonly janitor: AttachmentJanitor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.migrate();
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() =>
        this.schedule(this.config.attachments.purgeIntervalMs),
      );
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      await this.janitor.runOnce(Date.now());
    } catch (error) {
      this.logger.warn(`attachment purge failed, retried next run: ${errorMessage(error)}`);
    }
  }
}
