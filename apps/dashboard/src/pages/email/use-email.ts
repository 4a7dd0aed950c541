import { useState } from 'react';
import { get, withQuery } from '../../api';
import { type Polled, usePolling } from '../../polling';
import type { EmailHistory, EmailView } from '../../types';

/** Statuses an email never leaves. */
export const FINAL = new Set(['sent', 'failed', 'cancelled', 'expired']);

export interface LoadedEmail {
  readonly email: EmailView;
  readonly history: EmailHistory;
}

/**
 * The email and its history, polled until the email is final. With `minRevision` (a write's
 * revision) the api waits until its read model has that write.
 */
export function useEmail(
  id: string,
  minRevision: string | undefined,
): Polled<LoadedEmail> & { readonly follow: () => void } {
  const [final, setFinal] = useState(false);
  const loaded = usePolling<LoadedEmail>(
    `${id}:${minRevision ?? ''}`,
    async (signal) => {
      const [email, history] = await Promise.all([
        get<EmailView>(withQuery(`/v1/emails/${id}`, { minRevision }), signal),
        get<EmailHistory>(`/v1/emails/${id}/history`, signal),
      ]);
      setFinal(FINAL.has(email.status));
      return { email, history };
    },
    final ? null : 2000,
  );
  return { ...loaded, follow: () => setFinal(false) };
}
