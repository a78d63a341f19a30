import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { PagedTable } from '../../lists/paged-table';
import { usePagedQuery } from '../../lists/use-paged-query';
import { useCompanyUsers, userLabel } from '../../lists/user-names';
import { useMe } from '../../me';
import { Failure } from '../../ui/failure';
import { formatDateTime } from '../../ui/format';
import { ShownOnce } from '../../ui/shown-once';
import { Empty } from '../../ui/states';
import { ConfirmedButton } from '../../ui/confirmed-button';
import { UserOptions } from '../../lists/user-options';

type KeyRole = 'company_admin' | 'manager' | 'agent';
type KeyRow = { id: string; name: string; revokedAt: string | null; rotatedTo: string | null; expiresAt: string | null };

const EMPTY_DRAFT = { name: '', role: 'agent' as KeyRole, userId: '', readOnly: true, expires: '' };

const expired = (key: KeyRow) => key.expiresAt !== null && new Date(key.expiresAt) < new Date();

/** A rotated key keeps working until the overlap ends (its expiry), then it is as good as revoked. */
function keyState(key: KeyRow): string {
  if (key.revokedAt) return `revoked ${formatDateTime(key.revokedAt)}`;
  if (key.rotatedTo) return expired(key) ? 'rotated' : `rotated, works until ${formatDateTime(key.expiresAt)}`;
  return expired(key) ? 'expired' : 'active';
}

/** The company's API keys: each key acts as one user with that user's role, read-only unless said otherwise. */
export function ApiKeysPage() {
  const me = useMe();
  const users = useCompanyUsers(me.data?.role);
  const names = new Map((users.data ?? []).map((user) => [user.id, userLabel(user)]));
  const scope = companyScope();
  const client = useQueryClient();
  const keys = usePagedQuery(['api-keys', scope], (cursor) => unwrap(api.GET('/v1/api-keys', { params: { query: { limit: 50, ...scope, ...cursor } } })));
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [overlap, setOverlap] = useState(86400);
  const [shown, setShown] = useState<{ label: string; key: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ['api-keys'] });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/api-keys', {
          params: { query: scope },
          body: {
            name: draft.name.trim(),
            role: draft.role,
            readOnly: draft.readOnly,
            ...(draft.userId ? { userId: draft.userId } : {}),
            // The end of the chosen day, in the browser's time zone.
            ...(draft.expires ? { expiresAt: new Date(`${draft.expires}T23:59:59`).toISOString() } : {}),
            ...scope,
          },
        }),
      ),
    onSuccess: (key) => {
      setShown({ label: `New API key "${key.name}"`, key: key.key });
      setDraft(EMPTY_DRAFT);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id }, query: scope } })),
    onSuccess: (key) => {
      setDone(`Key "${key.name}" revoked.`);
      refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/api-keys/{id}/rotate', { params: { path: { id }, query: scope }, body: { overlapSeconds: overlap } })),
    onSuccess: (key) => {
      setShown({ label: `Replacement for API key "${key.name}"`, key: key.key });
      refresh();
    },
  });
  if (me.data?.role === 'superadmin' && !scope.companyId) return <Empty>Choose a company in the switcher above to manage its API keys.</Empty>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    create.mutate();
  };
  // A company_admin key may act as its creator (not a superadmin, who is no user of the company); others need a user of that role.
  const mayActAsMe = draft.role === 'company_admin' && me.data?.role === 'company_admin';
  const candidates = (users.data ?? []).filter((user) => user.role === draft.role && !user.disabled);
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      {shown ? <ShownOnce label={shown.label} value={shown.key} onDismiss={() => setShown(null)} /> : null}
      <PagedTable
        query={keys}
        what="API keys"
        empty="No API keys yet."
        caption="API keys"
        columns={['Name', 'Prefix', 'Role', 'User', 'Access', 'Expires', 'Last used', 'State', { hidden: 'Actions' }]}
        row={(key) => (
          <tr key={key.id} data-key-id={key.id}>
            <td>{key.name}</td>
            <td>
              <code>{key.prefix}</code>
            </td>
            <td>{key.role}</td>
            <td>{names.get(key.userId) ?? '—'}</td>
            <td>{key.readOnly ? 'read-only' : 'read-write'}</td>
            <td>{key.expiresAt ? formatDateTime(key.expiresAt) : 'never'}</td>
            <td>{formatDateTime(key.lastUsedAt)}</td>
            <td>{keyState(key)}</td>
            <td>
              {key.revokedAt || expired(key) ? null : (
                <span className="filter-actions">
                  {key.rotatedTo ? null : (
                    <button type="button" onClick={() => rotate.mutate(key.id)} disabled={rotate.isPending} aria-label={`Rotate ${key.name}`}>
                      Rotate
                    </button>
                  )}
                  <ConfirmedButton
                    question={`Revoke the key "${key.name}"? Anything using it stops working at once.`}
                    onConfirm={() => revoke.mutate(key.id)}
                    disabled={revoke.isPending}
                    label={`Revoke ${key.name}`}
                  >
                    Revoke
                  </ConfirmedButton>
                </span>
              )}
            </td>
          </tr>
        )}
      />
      <label>
        Rotation overlap (seconds the old key keeps working){' '}
        <input type="number" min={0} step={60} value={overlap} onChange={(e) => setOverlap(Math.max(0, Number(e.target.value) || 0))} />
      </label>
      <h2>Create a key</h2>
      <form className="filters" onSubmit={submit}>
        <label>
          Name <input value={draft.name} maxLength={100} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
        </label>
        <label>
          Role
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as KeyRole, userId: '' })}>
            <option value="agent">agent</option>
            <option value="manager">manager</option>
            <option value="company_admin">company_admin</option>
          </select>
        </label>
        <label>
          Acts as
          <select value={draft.userId} onChange={(e) => setDraft({ ...draft, userId: e.target.value })} required={!mayActAsMe}>
            <option value="">{mayActAsMe ? 'Me' : 'Choose a user'}</option>
            <UserOptions users={candidates} />
          </select>
        </label>
        <label>
          Expires (optional){' '}
          <input
            type="date"
            min={new Date().toISOString().slice(0, 10)}
            value={draft.expires}
            onChange={(e) => setDraft({ ...draft, expires: e.target.value })}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.readOnly} onChange={(e) => setDraft({ ...draft, readOnly: e.target.checked })} /> Read-only
        </label>
        <div className="filter-actions">
          <button type="submit" disabled={create.isPending}>
            Create key
          </button>
        </div>
      </form>
      {done && !revoke.error ? <p role="status">{done}</p> : null}
      <Failure error={create.error ?? rotate.error ?? revoke.error} fallback="could not save" />
    </section>
  );
}
