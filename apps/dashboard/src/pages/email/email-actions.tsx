import { type FormEvent, type ReactNode, useState } from 'react';
import { request } from '../../api';
import { formatInstant, isoToLocalInput, localInputToIso, viewerTimeZone } from '../../format';
import type { EmailView, WriteResult } from '../../types';
import { resolveWallClock, wallClockIn } from '../../zones';

/**
 * Reschedule or cancel a scheduled email, If-Match its revision. An email asked for in a zone is
 * rescheduled in that zone's wall-clock time (the api reads an offset-less sendAt there); any other in the
 * viewer's, sent as an instant.
 */
export function EmailActions({
  email,
  revision,
  onDone,
  onFailed,
}: {
  readonly email: EmailView;
  readonly revision: number;
  readonly onDone: (message: string, revision: number) => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const zone = email.timeZone ?? undefined;
  const [sendAt, setSendAt] = useState(() =>
    zone === undefined
      ? isoToLocalInput(email.sendAt)
      : wallClockIn(Date.parse(email.sendAt), zone),
  );
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const ifMatch = { 'if-match': `"${revision}"` };

  const reschedule = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const iso = zone === undefined ? localInputToIso(sendAt) : resolveWallClock(sendAt, zone);
    if (iso === undefined) return onFailed(new Error('Pick a date and time to reschedule to.'));
    setBusy(true);
    try {
      const { body } = await request<WriteResult>(`/v1/emails/${email.id}`, {
        method: 'PATCH',
        json: { sendAt: zone === undefined ? iso : sendAt },
        headers: ifMatch,
      });
      onDone(`Rescheduled to ${formatInstant(iso)}.`, body.revision);
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
    }
  };
  const cancel = async (): Promise<void> => {
    setBusy(true);
    try {
      const { body } = await request<WriteResult>(`/v1/emails/${email.id}`, {
        method: 'DELETE',
        headers: ifMatch,
      });
      onDone('Cancelled. It will not be sent.', body.revision);
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="email-actions">
      <form className="reschedule" onSubmit={(event) => void reschedule(event)}>
        <label htmlFor="reschedule-at">
          Reschedule to <span className="muted">({zone ?? viewerTimeZone()})</span>
        </label>
        <div className="inline">
          <input
            id="reschedule-at"
            type="datetime-local"
            step={1}
            value={sendAt}
            onChange={(e) => setSendAt(e.target.value)}
          />
          <button type="submit" className="button secondary" disabled={busy}>
            Reschedule
          </button>
        </div>
      </form>
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm cancellation">
          <span>Cancel this email for good?</span>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={() => void cancel()}
            autoFocus
          >
            Yes, cancel it
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="button danger-outline" onClick={() => setConfirming(true)}>
          Cancel email…
        </button>
      )}
    </div>
  );
}
