import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, companyScope, unwrap } from '../../api';
import { useCompanyUsers, userLabel } from '../../lists/user-names';
import { useMe } from '../../me';
import { Empty, QueryState } from '../../ui/states';
import { DataTable } from '../../ui/data-table';
import { Failure } from '../../ui/failure';
import { UserOptions } from '../../lists/user-options';

const E164 = /^\+[1-9]\d{6,14}$/;

export function PhoneNumbersPage() {
  const me = useMe();
  const users = useCompanyUsers(me.data?.role);
  const names = new Map((users.data ?? []).map((user) => [user.id, userLabel(user)]));
  const scope = companyScope();
  const client = useQueryClient();
  const numbers = useQuery({
    queryKey: ['phone-numbers', scope],
    queryFn: () => unwrap(api.GET('/v1/phone-numbers', { params: { query: { limit: 100, ...scope } } })),
  });
  const [draft, setDraft] = useState({ e164: '', matchOn: 'to' as 'to' | 'from', ownerUserId: '', label: '' });
  const [invalid, setInvalid] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/phone-numbers', {
          params: { query: scope },
          body: { e164: draft.e164, matchOn: draft.matchOn, ownerUserId: draft.ownerUserId || null, label: draft.label || null, ...scope },
        }),
      ),
    onSuccess: () => {
      setDraft({ e164: '', matchOn: 'to', ownerUserId: '', label: '' });
      void client.invalidateQueries({ queryKey: ['phone-numbers'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/phone-numbers/{id}', { params: { path: { id }, query: scope } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['phone-numbers'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!E164.test(draft.e164)) return setInvalid('Enter the number in E.164 form, e.g. +13125550187.');
    setInvalid(null);
    add.mutate();
  };
  return (
    <section aria-labelledby="numbers-title">
      <h1 id="numbers-title">Phone numbers</h1>
      <QueryState query={numbers} what="phone numbers">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No numbers yet: calls are matched to this company by its numbers.</Empty>
          ) : (
            <DataTable caption="Phone numbers" columns={['Number', 'Matches', 'Owner', 'Label', { hidden: 'Actions' }]}>
              {data.items.map((number) => (
                <tr key={number.id}>
                  <td>{number.e164}</td>
                  <td>{number.matchOn === 'to' ? 'calls to it' : 'calls from it'}</td>
                  <td>{number.ownerUserId ? (names.get(number.ownerUserId) ?? '—') : '—'}</td>
                  <td>{number.label ?? ''}</td>
                  <td>
                    <button type="button" className="danger" onClick={() => remove.mutate(number.id)} disabled={remove.isPending}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </QueryState>
      <h2>Add a number</h2>
      <form className="filters" onSubmit={submit}>
        <label>
          Number <input value={draft.e164} onChange={(e) => setDraft({ ...draft, e164: e.target.value.trim() })} placeholder="+13125550187" required />
        </label>
        <label>
          Matches
          <select value={draft.matchOn} onChange={(e) => setDraft({ ...draft, matchOn: e.target.value === 'from' ? 'from' : 'to' })}>
            <option value="to">calls to it</option>
            <option value="from">calls from it</option>
          </select>
        </label>
        <label>
          Owner
          <select value={draft.ownerUserId} onChange={(e) => setDraft({ ...draft, ownerUserId: e.target.value })}>
            <option value="">Nobody</option>
            <UserOptions users={users.data ?? []} />
          </select>
        </label>
        <label>
          Label <input value={draft.label} maxLength={100} onChange={(e) => setDraft({ ...draft, label: e.target.value })} />
        </label>
        <div className="filter-actions">
          <button type="submit" disabled={add.isPending}>
            Add
          </button>
        </div>
      </form>
      <Failure error={invalid ?? add.error ?? remove.error} fallback="could not save" />
    </section>
  );
}
