import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api';
import { session } from '../../auth/session';
import { formatDateTime } from '../../ui/format';
import { Empty, QueryState } from '../../ui/states';
import { DataTable } from '../../ui/data-table';
import { Failure } from '../../ui/failure';

export const companiesQuery = { queryKey: ['companies'], queryFn: () => unwrap(api.GET('/v1/companies', { params: { query: { limit: 100 } } })) };

export function CompaniesPage() {
  const companies = useQuery(companiesQuery);
  const client = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/companies', { body: { name: name.trim() } })),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: ['companies'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <section aria-labelledby="companies-title">
      <h1 id="companies-title">Companies</h1>
      <QueryState query={companies} what="companies">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No companies yet.</Empty>
          ) : (
            <DataTable caption="Companies" columns={['Name', 'Retention', 'Format', 'Created', { hidden: 'Switch' }]}>
              {data.items.map((company) => (
                <tr key={company.id}>
                  <td>{company.name}</td>
                  <td>{company.retentionDays ? `${company.retentionDays} days` : 'forever'}</td>
                  <td>{company.recordingFormat}</td>
                  <td>{formatDateTime(company.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => {
                        session.setCompanyId(company.id);
                        location.assign('/app/recordings');
                      }}
                    >
                      Work in {company.name}
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </QueryState>
      <h2>New company</h2>
      <form onSubmit={submit} className="inline-form">
        <label htmlFor="company-name">Name</label>
        <input id="company-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" disabled={create.isPending}>
          Create
        </button>
      </form>
      <Failure error={create.error} fallback="could not create" />
    </section>
  );
}
