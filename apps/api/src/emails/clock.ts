import { Injectable } from '@nestjs/common';
import { formatInstant } from '@app/domain';

/** Where commands get `now`; a test swaps it by provider. */
@Injectable()
export class Clock {
  now(): string {
    return formatInstant(Date.now());
  }
}
