import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage, get, request, withQuery } from '../api';
import { EmailBody } from '../components/email-body';
import { ErrorNotice, Loading } from '../components/states';
import { StatusBadge } from '../components/status-badge';
import { Timeline } from '../components/timeline';
import {
  formatAddresses,
  formatInstant,
  formatRelative,
  isoToLocalInput,
  localInputToIso,
  viewerTimeZone,
} from '../format';
import { useNow } from '../now';
import { usePolling } from '../polling';
import { Link, useRouter } from '../router';
import { lateness } from '../timeline';
import type { EmailHistory, EmailView, WriteResult } from '../types';

const FINAL = new Set(['sent', 'failed', 'cancelled']);

interface Loaded {
  readonly email: EmailView;
  readonly history: EmailHistory;
}

export function EmailPage({ id }: { readonly id: string }): ReactNode {
  const { location, navigate } = useRouter();
  const now = useNow();
  const minPosition = location.query.get('minPosition') ?? undefined;
  const created = location.query.get('created') === '1';
  const [final, setFinal] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>(
    created ? { tone: 'ok', text: 'Scheduled. This page follows the email live.' } : undefined,
  );
  const loaded = usePolling<Loaded>(
    `${id}:${minPosition ?? ''}`,
    async (signal) => {
      const [email, history] = await Promise.all([
        get<EmailView>(withQuery(`/v1/emails/${id}`, { minPosition }), signal),
        get<EmailHistory>(`/v1/emails/${id}/history`, signal),
      ]);
      setFinal(FINAL.has(email.status));
      return { email, history };
    },
    final ? null : 2000,
  );

  if (loaded.data === undefined) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) {
      return (
        <section className="page">
          <h1>Email not found</h1>
          <p>There is no email {id} in your tenant.</p>
          <Link to="/emails?status=scheduled">Back to the emails</Link>
        </section>
      );
    }
    return (
      <section className="page">
        {loaded.error !== undefined ? (
          <ErrorNotice error={loaded.error} retry={loaded.reload} />
        ) : (
          <Loading label="Loading the email…" />
        )}
      </section>
    );
  }

  const { email, history } = loaded.data;
  const scheduled = history.events[0]?.data ?? {};
  const html = typeof scheduled.html === 'string' ? scheduled.html : undefined;
  const text = typeof scheduled.text === 'string' ? scheduled.text : undefined;
  // The stream's revision is the truth the If-Match is checked against; the row may trail it.
  const revision = history.revision ?? email.revision;
  const late = lateness(email.sendAt, email.sentAt);
  // Read your own write: the next load waits until the read model has the write's position.
  const done = (message: string, position: string): void => {
    setNotice({ tone: 'ok', text: message });
    setFinal(false);
    navigate(`/emails/${email.id}?minPosition=${encodeURIComponent(position)}`, { replace: true });
  };
  const failed = (error: unknown): void => {
    if (error instanceof ApiError && error.status === 412) {
      setNotice({
        tone: 'error',
        text: 'This email changed while you were looking at it. It has been reloaded: check it and try again.',
      });
    } else {
      setNotice({ tone: 'error', text: errorMessage(error) });
    }
    loaded.reload();
  };

  return (
    <section className="page email-page">
      <p className="crumbs">
        <Link to={`/emails?status=${email.status === 'attempting' ? '' : email.status}`}>
          ← Emails
        </Link>
      </p>
      <div className="title-row">
        <h1>{email.subject === '' ? '(no subject)' : email.subject}</h1>
        <StatusBadge status={email.status} />
      </div>
      {notice && (
        <p
          className={`notice ${notice.tone === 'ok' ? 'notice-ok' : 'notice-error'}`}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
        >
          {notice.text}
        </p>
      )}
      {loaded.error !== undefined && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <div className="email-grid">
        <div className="card">
          <dl className="facts facts-wide">
            <div>
              <dt>From</dt>
              <dd>{formatAddresses([email.from])}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd>{formatAddresses(email.to)}</dd>
            </div>
            {email.cc.length > 0 && (
              <div>
                <dt>Cc</dt>
                <dd>{formatAddresses(email.cc)}</dd>
              </div>
            )}
            {email.bcc.length > 0 && (
              <div>
                <dt>Bcc</dt>
                <dd>{formatAddresses(email.bcc)}</dd>
              </div>
            )}
            <div>
              <dt>Send at</dt>
              <dd>
                {formatInstant(email.sendAt)}{' '}
                {!FINAL.has(email.status) && (
                  <span className="muted">({formatRelative(email.sendAt, now)})</span>
                )}
              </dd>
            </div>
            {email.cancelledAt && (
              <div>
                <dt>Cancelled at</dt>
                <dd>{formatInstant(email.cancelledAt)}</dd>
              </div>
            )}
            {email.failedAt && (
              <div>
                <dt>Failed at</dt>
                <dd>{formatInstant(email.failedAt)}</dd>
              </div>
            )}
            {email.requestedSendAt !== email.sendAt && (
              <div>
                <dt>First asked for</dt>
                <dd>{formatInstant(email.requestedSendAt)}</dd>
              </div>
            )}
            {email.sentAt && (
              <div>
                <dt>Sent at</dt>
                <dd>
                  {formatInstant(email.sentAt)}{' '}
                  {late && <span className="muted">({late} after due)</span>}
                </dd>
              </div>
            )}
            <div>
              <dt>Attempts</dt>
              <dd>
                {email.attempts} of {email.maxAttempts}
              </dd>
            </div>
            {email.lastError && (
              <div>
                <dt>Last error</dt>
                <dd className="error-text">
                  {[email.lastError.kind, email.lastError.code, email.lastError.message]
                    .filter((part) => part !== undefined)
                    .join(' · ')}
                </dd>
              </div>
            )}
            {email.messageId && (
              <div>
                <dt>Message-ID</dt>
                <dd className="mono wrap">{email.messageId}</dd>
              </div>
            )}
            {email.tags.length > 0 && (
              <div>
                <dt>Tags</dt>
                <dd>
                  {email.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))}
                </dd>
              </div>
            )}
            <div>
              <dt>Id</dt>
              <dd className="mono wrap">{email.id}</dd>
            </div>
            <div>
              <dt>Revision</dt>
              <dd>{revision}</dd>
            </div>
          </dl>
          {email.status === 'scheduled' && (
            <Actions email={email} revision={revision} onDone={done} onFailed={failed} />
          )}
        </div>
        <div className="card">
          <h2>History</h2>
          <Timeline events={history.events} />
        </div>
      </div>
      <div className="card">
        <h2>Body</h2>
        <EmailBody html={html} text={text} />
      </div>
    </section>
  );
}

function Actions({
  email,
  revision,
  onDone,
  onFailed,
}: {
  readonly email: EmailView;
  readonly revision: number;
  readonly onDone: (message: string, position: string) => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const [sendAt, setSendAt] = useState(() => isoToLocalInput(email.sendAt));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const ifMatch = { 'if-match': `"${revision}"` };

  const reschedule = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const iso = localInputToIso(sendAt);
    if (iso === undefined) return onFailed(new Error('Pick a date and time to reschedule to.'));
    setBusy(true);
    try {
      const { body } = await request<WriteResult>(`/v1/emails/${email.id}`, {
        method: 'PATCH',
        json: { sendAt: iso },
        headers: ifMatch,
      });
      onDone(`Rescheduled to ${formatInstant(iso)}.`, body.position);
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
      onDone('Cancelled. It will not be sent.', body.position);
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
          Reschedule to <span className="muted">({viewerTimeZone()})</span>
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
