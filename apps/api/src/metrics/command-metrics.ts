import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandBus, type ICommand } from '@nestjs/cqrs';
import { toErrorBody } from '../common/error-body';
import { type CommandOutcome, MetricsService } from './metrics.service';

/** `ok`, or for an error the side of the contract it falls on: 4xx `rejected`, 5xx `failed`. */
export function commandOutcome(error?: unknown): CommandOutcome {
  if (error === undefined) return 'ok';
  return toErrorBody(error).statusCode >= 500 ? 'failed' : 'rejected';
}

/**
 * Counts commands by type and outcome without touching the handlers: at bootstrap it wraps this
 * app's CommandBus `execute` (the bus is one instance per app, so apps in one process stay apart).
 */
@Injectable()
export class CommandMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    let bus: CommandBus;
    try {
      bus = this.moduleRef.get(CommandBus, { strict: false });
    } catch {
      return; // No CQRS in this app: nothing to count.
    }
    this.instrument(bus);
  }

  instrument(bus: CommandBus): void {
    const marked = bus as CommandBus & { [INSTRUMENTED]?: true };
    if (marked[INSTRUMENTED]) return;
    marked[INSTRUMENTED] = true;
    const execute = bus.execute.bind(bus) as (command: ICommand, ...rest: unknown[]) => unknown;
    const metrics = this.metrics;
    Object.defineProperty(bus, 'execute', {
      configurable: true,
      writable: true,
      value: async (command: ICommand, ...rest: unknown[]): Promise<unknown> => {
        const type = commandType(command);
        try {
          const result = await execute(command, ...rest);
          metrics.recordCommand(type, 'ok');
          return result;
        } catch (error) {
          metrics.recordCommand(type, commandOutcome(error));
          throw error;
        }
      },
    });
  }
}

const INSTRUMENTED = Symbol('commandMetrics');

function commandType(command: ICommand): string {
  const name = (command as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'unknown';
}
