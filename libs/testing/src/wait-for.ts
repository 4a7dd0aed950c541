/** Polls `condition` until it holds, failing with `description` once `timeoutMs` has passed. */
export async function waitFor(
  description: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  intervalMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Lets wall time pass until `instantMs` (epoch ms): a due moment, or the end of a fault held in place for its
 * stated time. Resolves at once if that instant has passed. Not for waiting on a condition: that is waitFor.
 */
export async function untilInstant(instantMs: number): Promise<void> {
  const remainingMs = instantMs - Date.now();
  if (remainingMs > 0) await new Promise((resolve) => setTimeout(resolve, remainingMs));
}
