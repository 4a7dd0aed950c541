import { type ReactNode, useEffect, useState } from 'react';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { Table } from '../../components/table';
import { formatDuration, formatInstant, formatRelative } from '../../format';
import { useNow } from '../../now';
import { usePolling } from '../../polling';
import { Link } from '../../router';
import type { WebhookDelivery, WebhookDeliveryStatus } from '../../types';
import { canRetry, plainExcerpt } from '../../webhooks';
import { deliveriesPath, listDeliveries, retryDelivery } from '../../webhooks-api';
import { DeliveryDetail } from './delivery-detail';

const TABS: readonly { status: WebhookDeliveryStatus | undefined; label: string }[] = [
  { status: undefined, label: 'All' },
  { status: 'pending', label: 'Pending' },
  { status: 'delivered', label: 'Delivered' },
  { status: 'failed', label: 'Failed' },
];

const COLUMNS = [
  'Status',
  'Event',
  'Email',
  'Attempts',
  'Last code',
  'Latency',
  'Response',
  'Next retry',
  '',
];

/** Shown in a row; the whole excerpt is in the delivery's detail. */
const ROW_EXCERPT = 160;

/** Newest first, live; a row opens to its attempts; what is not delivered can be retried now. */
export function DeliveryLog({
  endpointId,
  refresh,
  onRetried,
  onFailed,
}: {
  readonly endpointId: string;
  /** Changes when the page queued something (a test, a replay): the log reloads. */
  readonly refresh: number;
  readonly onRetried: (delivery: WebhookDelivery) => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const now = useNow();
  const pages = useCursorPages();
  const [status, setStatus] = useState<WebhookDeliveryStatus | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [retrying, setRetrying] = useState<string | undefined>();
  const path = deliveriesPath(endpointId, { status, cursor: pages.cursor, limit: 25 });
  const log = usePolling(path, (signal) => listDeliveries(path, signal), 3000);
  const { reload } = log;
  useEffect(() => {
    if (refresh > 0) reload();
  }, [refresh, reload]);

  const retry = async (delivery: WebhookDelivery): Promise<void> => {
    setRetrying(delivery.id);
    try {
      onRetried(await retryDelivery(endpointId, delivery.id));
      log.reload();
    } catch (error) {
      onFailed(error);
    } finally {
      setRetrying(undefined);
    }
  };

  return (
    <>
      <div className="tabs" role="tablist" aria-label="Delivery status">
        {TABS.map((tab) => (
          <button
            key={tab.label}
            type="button"
            role="tab"
            aria-selected={status === tab.status}
            className="tab"
            onClick={() => {
              pages.reset();
              setStatus(tab.status);
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {log.error !== undefined && <ErrorNotice error={log.error} retry={log.reload} />}
      {log.loading && <Loading label="Loading the deliveries…" />}
      {log.data?.items.length === 0 && (
        <Empty>
          <p>
            No {status === undefined ? '' : `${status} `}deliveries yet. Send a test to see one
            arrive.
          </p>
        </Empty>
      )}
      {log.data && log.data.items.length > 0 && (
        <Table className="deliveries" columns={COLUMNS}>
          {log.data.items.map((delivery) => (
            <DeliveryRows
              key={delivery.id}
              endpointId={endpointId}
              delivery={delivery}
              now={now}
              open={open === delivery.id}
              toggle={() => setOpen(open === delivery.id ? undefined : delivery.id)}
              retrying={retrying === delivery.id}
              retry={() => void retry(delivery)}
            />
          ))}
        </Table>
      )}
      <Pager pages={pages} list={log.data} previous="← Newer" next="Older →" />
    </>
  );
}

function DeliveryRows({
  endpointId,
  delivery,
  now,
  open,
  toggle,
  retrying,
  retry,
}: {
  readonly endpointId: string;
  readonly delivery: WebhookDelivery;
  readonly now: number;
  readonly open: boolean;
  readonly toggle: () => void;
  readonly retrying: boolean;
  readonly retry: () => void;
}): ReactNode {
  const detailId = `delivery-${delivery.id}`;
  return (
    <>
      <tr className={`delivery-row delivery-${delivery.status}`}>
        <td data-label="Status">
          <span className={`badge badge-${delivery.status}`}>{delivery.status}</span>
        </td>
        <td data-label="Event" className="mono small">
          {delivery.eventType}
        </td>
        <td data-label="Email" className="mono small wrap">
          {delivery.emailId ? (
            <Link to={`/emails/${delivery.emailId}`}>{delivery.emailId}</Link>
          ) : (
            '—'
          )}
        </td>
        <td data-label="Attempts">{delivery.attempts}</td>
        <td data-label="Last code">{delivery.lastStatusCode ?? '—'}</td>
        <td data-label="Latency">{formatDuration(delivery.lastLatencyMs)}</td>
        <td data-label="Response" className="small">
          {delivery.lastError && <span className="error-text block">{delivery.lastError}</span>}
          {delivery.lastResponse && (
            <code className="excerpt-inline">
              {plainExcerpt(delivery.lastResponse, ROW_EXCERPT)}
            </code>
          )}
        </td>
        <td data-label="Next retry">
          {delivery.status === 'pending' && delivery.nextAttemptAt ? (
            <time dateTime={delivery.nextAttemptAt} title={formatInstant(delivery.nextAttemptAt)}>
              {formatRelative(delivery.nextAttemptAt, now)}
            </time>
          ) : (
            '—'
          )}
        </td>
        <td data-label="" className="row-actions">
          <button
            type="button"
            className="button secondary small"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={toggle}
          >
            {open ? 'Hide' : 'Details'}
          </button>
          {canRetry(delivery) && (
            <button
              type="button"
              className="button secondary small"
              disabled={retrying}
              onClick={retry}
            >
              {retrying ? 'Retrying…' : 'Retry'}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="delivery-detail-row" id={detailId}>
          <td colSpan={COLUMNS.length}>
            <DeliveryDetail endpointId={endpointId} deliveryId={delivery.id} />
          </td>
        </tr>
      )}
    </>
  );
}
