import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { PagedTable } from '../../lists/paged-table';
import { usePagedQuery } from '../../lists/use-paged-query';
import { Failure } from '../../ui/failure';
import { formatDateTime } from '../../ui/format';

/** One endpoint's deliveries, newest first, each with every attempt; the receiver's answer is shown as text only. */
export function WebhookDeliveries({ endpointId, url }: { endpointId: string; url: string }) {
  const scope = companyScope();
  const client = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const deliveries = usePagedQuery(['webhook-deliveries', endpointId, scope], (cursor) =>
    unwrap(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpointId }, query: { limit: 25, ...scope, ...cursor } } })),
  );
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(api.POST('/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: endpointId, deliveryId }, query: scope } })),
    onSuccess: (queued) => {
      setDone(`Delivery ${queued.deliveryId} queued again.`);
      void client.invalidateQueries({ queryKey: ['webhook-deliveries', endpointId] });
    },
  });
  return (
    <section aria-labelledby={`deliveries-${endpointId}`}>
      <h2 id={`deliveries-${endpointId}`}>Deliveries to {url}</h2>
      <PagedTable
        query={deliveries}
        what="deliveries"
        empty="Nothing has been sent to this endpoint yet."
        caption={`Deliveries to ${url}`}
        columns={['Created', 'Event', 'Status', 'Attempts', { hidden: 'Redeliver' }]}
        row={(delivery) => (
          <tr key={delivery.id}>
            <td>{formatDateTime(delivery.createdAt)}</td>
            <td>{delivery.eventType}</td>
            <td>
              {delivery.status}
              {delivery.deliveredAt ? <span className="muted"> {formatDateTime(delivery.deliveredAt)}</span> : null}
            </td>
            <td>
              {delivery.attempts.length === 0 ? (
                <span className="muted">none yet</span>
              ) : (
                <ol className="attempts">
                  {delivery.attempts.map((attempt) => (
                    <li key={attempt.attempt}>
                      {formatDateTime(attempt.attemptedAt)}: {attempt.statusCode ?? 'no answer'}, {attempt.latencyMs} ms
                      {attempt.error ? <span className="error-text"> {attempt.error}</span> : null}
                      {attempt.responseExcerpt ? <pre>{attempt.responseExcerpt}</pre> : null}
                    </li>
                  ))}
                </ol>
              )}
            </td>
            <td>
              <button
                type="button"
                onClick={() => redeliver.mutate(delivery.id)}
                disabled={redeliver.isPending}
                aria-label={`Redeliver ${delivery.eventType} ${delivery.id}`}
              >
                Redeliver
              </button>
            </td>
          </tr>
        )}
      />
      {done && !redeliver.error ? <p role="status">{done}</p> : null}
      <Failure error={redeliver.error} fallback="redelivery failed" />
    </section>
  );
}
