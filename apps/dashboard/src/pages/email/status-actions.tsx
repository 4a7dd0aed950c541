import { type FormEvent, type ReactNode, useState } from 'react';
import { emailAction } from '../../groups-api';
import { emailActions } from '../../groups';
import type { EmailView } from '../../types';

const LABELS = {
  pause: { button: 'Pause', done: 'Paused. It will not be sent until resumed.' },
  resume: { button: 'Resume', done: 'Resumed: due again (now, if its time passed while paused).' },
  retry: { button: 'Retry', done: 'Retrying with a new attempt budget.' },
} as const;

/** Pause, resume or retry, where the status allows; the api's 409 reason reaches `onFailed` as its message. */
export function StatusActions({
  email,
  revision,
  onDone,
  onFailed,
}: {
  readonly email: Pick<EmailView, 'id' | 'status'>;
  readonly revision: number;
  readonly onDone: (message: string, revision: number) => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const actions = emailActions(email.status);
  if (actions.length === 0) return null;
  const run = async (event: FormEvent, action: 'pause' | 'resume' | 'retry'): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await emailAction(email.id, action, revision, reason.trim());
      setReason('');
      onDone(LABELS[action].done, result.revision);
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="email-actions">
      {actions.map((action) => (
        <form key={action} className="inline" onSubmit={(event) => void run(event, action)}>
          {action !== 'resume' && (
            <input
              aria-label={`Reason to ${action} (optional)`}
              placeholder="reason (optional)"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
          <button type="submit" className="button secondary" disabled={busy}>
            {LABELS[action].button}
          </button>
        </form>
      ))}
    </div>
  );
}
