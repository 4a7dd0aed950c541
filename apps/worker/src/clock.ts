import { Injectable } from '@nestjs/common';

/** Where the worker reads the time; a test swaps it by provider. */
@Injectable()
export class Clock {
  nowMs(): number {
    return Date.now();
  }
}
