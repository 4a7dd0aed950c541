import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@app/platform';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Outcome of a command: `ok`, `rejected` (the caller's fault, 4xx) or `failed` (ours, 5xx). */
export type CommandOutcome = 'ok' | 'rejected' | 'failed';

/** The api's own metrics — HTTP requests and commands — on the app's registry. */
@Injectable()
export class MetricsService {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly commands: Counter<'command' | 'outcome'>;

  constructor(private readonly metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.registry = metrics.registry;
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its response, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.commands = new Counter({
      name: 'commands_total',
      help: 'Commands executed through the CommandBus, by command type and outcome (ok, rejected, failed).',
      labelNames: ['command', 'outcome'] as const,
      registers,
    });
  }

  recordRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  recordCommand(command: string, outcome: CommandOutcome): void {
    this.commands.inc({ command, outcome });
  }

  render(): Promise<string> {
    return this.metrics.render();
  }
}
