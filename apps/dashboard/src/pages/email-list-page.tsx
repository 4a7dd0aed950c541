import { type FormEvent, type ReactNode, useState } from 'react';
import { get, withQuery } from '../api';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { StatusBadge } from '../components/status-badge';
import {
  formatAddresses,
  formatInstant,
  formatRelative,
  isoToLocalInput,
  localInputToIso,
} from '../format';
import { useNow } from '../now';
import { usePolling } from '../polling';
import { Link, useRouter } from '../router';
import { useSignedIn } from '../session';
import type { EmailPage, EmailStatus } from '../types';

const TABS: readonly { status: EmailStatus | ''; label: string }[] = [
  { status: 'scheduled', label: 'Scheduled' },
  { status: 'sent', label: 'Sent' },
  { status: 'failed', label: 'Failed' },
  { status: 'cancelled', label: 'Cancelled' },
  { status: '', label: 'All' },
];

const FILTERS = ['from', 'to', 'tag', 'sendAfter', 'sendBefore', 'tenant'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZE = 25;

export function EmailListPage(): ReactNode {
  const session = useSignedIn();
  const { location, navigate } = useRouter();
  const status = location.query.get('status') ?? '';
  const filters = Object.fromEntries(
    FILTERS.map((name) => [name, location.query.get(name) ?? '']),
  ) as Record<Filter, string>;
  // The cursors of the pages before this one: "Previous" pops, "Next" pushes.
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const [draft, setDraft] = useState(filters);
  const cursor = cursors[cursors.length - 1];
  const admin = session.role === 'admin';
  const path = withQuery(admin ? '/v1/admin/emails' : '/v1/emails', {
    status: status === '' ? undefined : status,
    from: filters.from,
    to: filters.to,
    tag: filters.tag,
    sendAfter: filters.sendAfter,
    sendBefore: filters.sendBefore,
    tenant: admin ? filters.tenant : undefined,
    cursor,
    limit: PAGE_SIZE,
  });
  const page = usePolling(path, (signal) => get<EmailPage>(path, signal), 3000);
  const now = useNow();

  const go = (next: Partial<Record<Filter | 'status', string>>): void => {
    setCursors([]);
    const merged = { status, ...filters, ...next };
    navigate(withQuery('/emails', merged), { replace: true });
  };
  const applyFilters = (event: FormEvent): void => {
    event.preventDefault();
    go({
      ...draft,
      sendAfter: localInputToIso(draft.sendAfter) ?? draft.sendAfter,
      sendBefore: localInputToIso(draft.sendBefore) ?? draft.sendBefore,
    });
  };
  const clearFilters = (): void => {
    const empty = Object.fromEntries(FILTERS.map((name) => [name, ''])) as Record<Filter, string>;
    setDraft(empty);
    go(empty);
  };
  const activeFilters = FILTERS.filter((name) => filters[name] !== '').length;
  const localValue = (value: string): string =>
    value !== '' && !Number.isNaN(Date.parse(value)) && value.includes('Z')
      ? isoToLocalInput(value)
      : value;

  return (
    <section className="page">
      <h1>Emails</h1>
      <div className="tabs" role="tablist" aria-label="Status">
        {TABS.map((tab) => (
          <button
            key={tab.label}
            type="button"
            role="tab"
            aria-selected={status === tab.status}
            className="tab"
            onClick={() => go({ status: tab.status })}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <details className="card filters" open={activeFilters > 0}>
        <summary>Filters{activeFilters > 0 ? ` (${activeFilters})` : ''}</summary>
        <form className="filter-grid" onSubmit={applyFilters}>
          <label>
            From{' '}
            <input
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              placeholder="sender address"
            />
          </label>
          <label>
            To{' '}
            <input
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              placeholder="any recipient"
            />
          </label>
          <label>
            Tag{' '}
            <input
              value={draft.tag}
              onChange={(e) => setDraft({ ...draft, tag: e.target.value })}
            />
          </label>
          <label>
            Send after{' '}
            <input
              type="datetime-local"
              value={localValue(draft.sendAfter)}
              onChange={(e) => setDraft({ ...draft, sendAfter: e.target.value })}
            />
          </label>
          <label>
            Send before{' '}
            <input
              type="datetime-local"
              value={localValue(draft.sendBefore)}
              onChange={(e) => setDraft({ ...draft, sendBefore: e.target.value })}
            />
          </label>
          {admin && (
            <label>
              Tenant{' '}
              <input
                value={draft.tenant}
                onChange={(e) => setDraft({ ...draft, tenant: e.target.value })}
                placeholder="all tenants"
              />
            </label>
          )}
          <div className="actions">
            <button type="submit" className="button primary small">
              Apply
            </button>
            <button type="button" className="button secondary small" onClick={clearFilters}>
              Clear
            </button>
          </div>
        </form>
      </details>
      {page.error !== undefined && <ErrorNotice error={page.error} retry={page.reload} />}
      {page.loading && <Loading label="Loading emails…" />}
      {page.data && page.data.items.length === 0 && (
        <Empty>
          <p>
            No {status === '' ? '' : `${status} `}emails
            {activeFilters > 0 ? ' match these filters' : ''}.
          </p>
          <Link to="/compose" className="button primary small">
            Compose one
          </Link>
        </Empty>
      )}
      {page.data && page.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="emails">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Send at</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                {admin && <th scope="col">Tenant</th>}
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((email) => (
                <tr key={email.id}>
                  <td data-label="Subject">
                    <div className="wrap">
                      <Link to={`/emails/${email.id}`} className="subject-link">
                        {email.subject === '' ? '(no subject)' : email.subject}
                      </Link>
                      <span className="muted block">{email.from.address}</span>
                    </div>
                  </td>
                  <td data-label="To" className="wrap">
                    {formatAddresses(email.to)}
                  </td>
                  <td data-label="Send at">
                    <div>
                      <time dateTime={email.sendAt}>{formatInstant(email.sendAt)}</time>
                      <span className="muted block">
                        {formatRelative(email.sentAt ?? email.sendAt, now)}
                      </span>
                    </div>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={email.status} />
                  </td>
                  <td data-label="Attempts">{`${email.attempts} / ${email.maxAttempts}`}</td>
                  {admin && <td data-label="Tenant">{email.tenant}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.data && (cursors.length > 0 || page.data.nextCursor !== null) && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="button secondary small"
            disabled={cursors.length === 0}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            ← Previous
          </button>
          <span className="muted">Page {cursors.length + 1}</span>
          <button
            type="button"
            className="button secondary small"
            disabled={page.data.nextCursor === null}
            onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
          >
            Next →
          </button>
        </nav>
      )}
    </section>
  );
}
