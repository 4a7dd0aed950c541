// Runs the occurrence runner in every worker process, one run at a time, every RECURRENCE_POLL_MS. Nothing
// here is needed for correctness (ADR 0009): a run that dies halfway is finished by the next run anywhere.

import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { errorMessage } from '@app/platform';
import { OccurrenceRunner } from './occurrence-runner';
import { RECURRENCE_POLL_MS } from './recurrence.tokens';

@Injectable()
export class RecurrenceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Recurrence');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly runner: OccurrenceRunner,
    @Inject(RECURRENCE_POLL_MS) private readonly pollMs: number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.migrate();
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
      this.running = this.run().finally(() => this.schedule(this.pollMs));
    }, delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      const { created, skipped, failed = [] } = await this.runner.runOnce();
      if (created > 0 || skipped > 0) {
        this.logger.log(`occurrences: ${created} created, ${skipped} skipped`);
      }
      for (const { scheduleId, error } of failed) {
        this.logger.warn(
          `schedule ${scheduleId} not advanced, retried next poll: ${errorMessage(error)}`,
        );
      }
    } catch (error) {
      this.logger.warn(`occurrence run failed, retried next poll: ${errorMessage(error)}`);
    }
  }
}
