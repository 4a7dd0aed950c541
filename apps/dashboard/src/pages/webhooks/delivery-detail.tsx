import type { ReactNode } from 'react';
import { ErrorNotice, Loading } from '../../components/states';
import { Table } from '../../components/table';
import { formatDuration, formatInstant } from '../../format';
import { usePolling } from '../../polling';
import { formatPayload, plainExcerpt } from '../../webhooks';
import { getDelivery } from '../../webhooks-api';

/** One delivery's attempts and the exact body it signs, followed while it is pending. */
export function DeliveryDetail({
  endpointId,
  deliveryId,
}: {
  readonly endpointId: string;
  readonly deliveryId: string;
}): ReactNode {
  const detail = usePolling(
    `${endpointId}/${deliveryId}`,
    (signal) => getDelivery(endpointId, deliveryId, signal),
    3000,
  );
  if (detail.data === undefined) {
    return detail.error !== undefined ? (
      <ErrorNotice error={detail.error} retry={detail.reload} />
    ) : (
      <Loading label="Loading the delivery…" />
    );
  }
  const delivery = detail.data;
  return (
    <div className="delivery-detail">
      {detail.error !== undefined && <ErrorNotice error={detail.error} retry={detail.reload} />}
      <dl className="facts">
        <div>
          <dt>webhook-id</dt>
          <dd className="mono">{delivery.messageId}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatInstant(delivery.createdAt)}</dd>
        </div>
        <div>
          <dt>Delivered</dt>
          <dd>{formatInstant(delivery.deliveredAt)}</dd>
        </div>
      </dl>
      <h3>Attempts</h3>
      {delivery.attemptLog.length === 0 ? (
        <p className="muted">No attempt yet.</p>
      ) : (
        <Table
          className="attempts"
          columns={['#', 'Started', 'Status code', 'Latency', 'Response or error']}
        >
          {delivery.attemptLog.map((attempt) => (
            <tr key={attempt.attempt}>
              <td data-label="#">{attempt.attempt}</td>
              <td data-label="Started">{formatInstant(attempt.startedAt)}</td>
              <td data-label="Status code">{attempt.statusCode ?? '—'}</td>
              <td data-label="Latency">{formatDuration(attempt.latencyMs)}</td>
              <td data-label="Response or error">
                {attempt.error && <span className="error-text block">{attempt.error}</span>}
                {attempt.responseExcerpt && (
                  <pre className="excerpt">{plainExcerpt(attempt.responseExcerpt)}</pre>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h3>Payload</h3>
      <pre className="raw payload">{formatPayload(delivery.payload)}</pre>
    </div>
  );
}
