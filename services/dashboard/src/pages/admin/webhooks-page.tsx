import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { PagedTable } from '../../lists/paged-table';
import { usePagedQuery } from '../../lists/use-paged-query';
import { useMe } from '../../me';
import { Failure } from '../../ui/failure';
import { ShownOnce } from '../../ui/shown-once';
import { Empty } from '../../ui/states';
import { WebhookDeliveries } from './webhook-deliveries';
import { ConfirmedButton } from '../../ui/confirmed-button';

const EVENTS = ['call.completed', 'recording.stored', 'recording.failed', 'transcript.completed', 'analysis.completed', 'recording.deleted'] as const;
type EventType = (typeof EVENTS)[number];

const EMPTY_DRAFT = { url: '', description: '', events: [] as EventType[] };

/** Where the company's own systems receive signed event notifications, and what was sent to them. */
export function WebhooksPage() {
  const me = useMe();
  const scope = companyScope();
  const client = useQueryClient();
  const endpoints = usePagedQuery(['webhook-endpoints', scope], (cursor) =>
    unwrap(api.GET('/v1/webhook-endpoints', { params: { query: { limit: 50, ...scope, ...cursor } } })),
  );
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<{ id: string; url: string } | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ['webhook-endpoints'] });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/webhook-endpoints', {
          params: { query: scope },
          body: { url: draft.url.trim(), events: draft.events, description: draft.description.trim() || null, ...scope },
        }),
      ),
    onSuccess: (endpoint) => {
      setSecret({ url: endpoint.url, secret: endpoint.secret });
      setDraft(EMPTY_DRAFT);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id }, query: scope }, body: { enabled } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id }, query: scope } })),
    onSuccess: (_, id) => {
      if (open?.id === id) setOpen(null);
      refresh();
    },
  });
  if (me.data?.role === 'superadmin' && !scope.companyId) return <Empty>Choose a company in the switcher above to manage its webhook endpoints.</Empty>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.events.length === 0) return setInvalid('Choose at least one event.');
    setInvalid(null);
    create.mutate();
  };
  const pick = (type: EventType, on: boolean) =>
    setDraft({
      ...draft,
      events: on ? EVENTS.filter((event) => event === type || draft.events.includes(event)) : draft.events.filter((event) => event !== type),
    });
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhook endpoints</h1>
      {secret ? <ShownOnce label={`Signing secret for ${secret.url}`} value={secret.secret} onDismiss={() => setSecret(null)} /> : null}
      <PagedTable
        query={endpoints}
        what="webhook endpoints"
        empty="No endpoints yet: add one to receive events."
        caption="Webhook endpoints"
        columns={['URL', 'Events', 'Description', 'State', { hidden: 'Actions' }]}
        row={(endpoint) => (
          <tr key={endpoint.id} data-endpoint-id={endpoint.id}>
            <td className="wrap-anywhere">{endpoint.url}</td>
            <td>{endpoint.events.join(', ')}</td>
            <td>{endpoint.description ?? ''}</td>
            <td>
              {endpoint.enabled ? 'enabled' : 'disabled'}
              {endpoint.disabledReason ? <span className="muted"> ({endpoint.disabledReason})</span> : null}
            </td>
            <td>
              <span className="filter-actions">
                <button
                  type="button"
                  aria-expanded={open?.id === endpoint.id}
                  aria-label={`Deliveries to ${endpoint.url}`}
                  onClick={() => setOpen(open?.id === endpoint.id ? null : { id: endpoint.id, url: endpoint.url })}
                >
                  Deliveries
                </button>
                <button
                  type="button"
                  disabled={toggle.isPending}
                  aria-label={`${endpoint.enabled ? 'Disable' : 'Enable'} ${endpoint.url}`}
                  onClick={() => toggle.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
                >
                  {endpoint.enabled ? 'Disable' : 'Enable'}
                </button>
                <ConfirmedButton
                  question={`Delete the endpoint ${endpoint.url}? It receives nothing more.`}
                  onConfirm={() => remove.mutate(endpoint.id)}
                  disabled={remove.isPending}
                  label={`Delete ${endpoint.url}`}
                >
                  Delete
                </ConfirmedButton>
              </span>
            </td>
          </tr>
        )}
      />
      <Failure error={toggle.error ?? remove.error} fallback="could not save" />
      {open ? <WebhookDeliveries key={open.id} endpointId={open.id} url={open.url} /> : null}
      <h2>Add an endpoint</h2>
      <form className="filters" onSubmit={submit}>
        <label>
          URL{' '}
          <input type="url" value={draft.url} onChange={(e) => setDraft({ ...draft, url: e.target.value })} placeholder="https://example.com/hooks" required />
        </label>
        <label>
          Description <input value={draft.description} maxLength={200} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
        </label>
        <fieldset className="events">
          <legend>Events</legend>
          {EVENTS.map((type) => (
            <label key={type} className="checkbox">
              <input type="checkbox" checked={draft.events.includes(type)} onChange={(e) => pick(type, e.target.checked)} /> {type}
            </label>
          ))}
        </fieldset>
        <div className="filter-actions">
          <button type="submit" disabled={create.isPending}>
            Add endpoint
          </button>
        </div>
      </form>
      <Failure error={invalid ?? create.error} fallback="could not save" />
    </section>
  );
}
