import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api';
import { PagedTable } from '../../lists/paged-table';
import { usePagedQuery } from '../../lists/use-paged-query';
import { Failure } from '../../ui/failure';
import { formatDateTime } from '../../ui/format';

/** Stored webhook events no tenant could be found for; replay them after fixing the mapping. */
export function QuarantinePage() {
  const client = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const query = usePagedQuery(['quarantine'], (cursor) =>
    unwrap(api.GET('/v1/webhook-events', { params: { query: { status: 'quarantined', limit: 50, ...cursor } } })),
  );
  const replay = useMutation({
    mutationFn: async (id: string) => {
      await unwrap(api.POST('/v1/webhook-events/{id}/replay', { params: { path: { id } } }));
      return id;
    },
    onSuccess: (id) => {
      setDone(`Event ${id} replayed.`);
      void client.invalidateQueries({ queryKey: ['quarantine'] });
    },
  });
  return (
    <section aria-labelledby="quarantine-title">
      <h1 id="quarantine-title">Quarantine</h1>
      <PagedTable
        query={query}
        what="quarantined events"
        empty="Nothing is quarantined: every stored event found its company."
        caption="Quarantined webhook events"
        columns={['Received', 'Provider', 'Event', 'Account', 'Reason', { hidden: 'Replay' }]}
        row={(event) => (
          <tr key={event.id}>
            <td>{formatDateTime(event.receivedAt)}</td>
            <td>{event.provider}</td>
            <td>{event.eventType}</td>
            <td>{event.externalAccountId ?? '–'}</td>
            <td>{event.reason ?? '–'}</td>
            <td>
              <button type="button" onClick={() => replay.mutate(event.id)} disabled={replay.isPending}>
                Replay
              </button>
            </td>
          </tr>
        )}
      />
      {done ? <p role="status">{done}</p> : null}
      <Failure error={replay.error} fallback="replay failed" />
    </section>
  );
}
