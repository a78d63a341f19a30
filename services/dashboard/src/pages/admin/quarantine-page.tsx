import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, unwrap } from '../../api';
import { InfiniteList } from '../../lists/infinite-list';
import { formatDateTime } from '../../ui/format';
import { TableWrap } from '../../ui/table-wrap';

/** Stored webhook events no tenant could be found for; replay them after fixing the mapping. */
export function QuarantinePage() {
  const client = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const query = useInfiniteQuery({
    queryKey: ['quarantine'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/webhook-events', { params: { query: { status: 'quarantined', limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
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
      <InfiniteList query={query} what="quarantined events" empty="Nothing is quarantined: every stored event found its company.">
        {(items) => (
          <TableWrap>
            <table>
              <caption className="visually-hidden">Quarantined webhook events</caption>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Event</th>
                  <th scope="col">Account</th>
                  <th scope="col">Reason</th>
                  <th scope="col">
                    <span className="visually-hidden">Replay</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((event) => (
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
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </InfiniteList>
      {done ? <p role="status">{done}</p> : null}
      {replay.error ? (
        <p role="alert" className="error-text">
          {replay.error instanceof ApiError ? replay.error.message : 'replay failed'}
        </p>
      ) : null}
    </section>
  );
}
