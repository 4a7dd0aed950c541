import type { ReactNode } from 'react';
import { get, withQuery } from '../../api';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { usePolling } from '../../polling';
import { Link, useRouter } from '../../router';
import { useSignedIn } from '../../session';
import type { EmailPage, EmailStatus } from '../../types';
import { EmailFilters, FILTERS, type Filters } from './email-filters';
import { EmailTable } from './email-table';

const TABS: readonly { status: EmailStatus | ''; label: string }[] = [
  { status: 'scheduled', label: 'Scheduled' },
  { status: 'sent', label: 'Sent' },
  { status: 'paused', label: 'Paused' },
  { status: 'failed', label: 'Failed' },
  { status: 'cancelled', label: 'Cancelled' },
  { status: 'expired', label: 'Expired' },
  { status: '', label: 'All' },
];

const PAGE_SIZE = 25;

export function EmailListPage(): ReactNode {
  const session = useSignedIn();
  const { location, navigate } = useRouter();
  const status = location.query.get('status') ?? '';
  const filters = Object.fromEntries(
    FILTERS.map((name) => [name, location.query.get(name) ?? '']),
  ) as Filters;
  const pages = useCursorPages();
  const admin = session.role === 'admin';
  const path = withQuery(admin ? '/v1/admin/emails' : '/v1/emails', {
    status: status === '' ? undefined : status,
    from: filters.from,
    to: filters.to,
    tag: filters.tag,
    sendAfter: filters.sendAfter,
    sendBefore: filters.sendBefore,
    batchId: filters.batchId,
    scheduleId: filters.scheduleId,
    tenant: admin ? filters.tenant : undefined,
    cursor: pages.cursor,
    limit: PAGE_SIZE,
  });
  const page = usePolling(path, (signal) => get<EmailPage>(path, signal), 3000);

  const go = (next: Partial<Filters & { status: string }>): void => {
    pages.reset();
    const merged = { status, ...filters, ...next };
    navigate(withQuery('/emails', merged), { replace: true });
  };
  const activeFilters = FILTERS.filter((name) => filters[name] !== '').length;

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
      <EmailFilters filters={filters} admin={admin} apply={go} />
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
        <EmailTable emails={page.data.items} admin={admin} onChanged={page.reload} />
      )}
      <Pager pages={pages} list={page.data} previous="← Previous" next="Next →" showNumber />
    </section>
  );
}
