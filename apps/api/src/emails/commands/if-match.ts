import { PreconditionFailedException } from '@nestjs/common';
import type { LoadedEmail } from '@app/email-streams';

/** Optimistic concurrency from HTTP: the caller's If-Match revision must still be the stream's. */
export function checkIfMatch(loaded: LoadedEmail, expected: number | undefined): void {
  if (expected === undefined) return;
  if (loaded.expectedRevision !== expected) {
    throw new PreconditionFailedException(
      `If-Match revision ${expected} does not match the current revision ${String(loaded.expectedRevision)}`,
    );
  }
}
