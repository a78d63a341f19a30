import { useQuery } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { appConfig } from './app-config';
import { can } from './auth/permissions';
import { session } from './auth/session';
import { useMe } from './me';
import { companiesQuery } from './pages/admin/companies-page';
import { ErrorState, Loading } from './ui/states';

function CompanySwitcher() {
  const companies = useQuery(companiesQuery);
  return (
    <label className="switcher">
      Company
      <select
        value={session.companyId() ?? ''}
        onChange={(e) => {
          session.setCompanyId(e.target.value || null);
          // A full reload: every cached list belongs to the previous company.
          location.reload();
        }}
      >
        <option value="">All companies</option>
        {(companies.data?.items ?? []).map((company) => (
          <option key={company.id} value={company.id}>
            {company.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Navigation for the signed-in caller: only the pages their role can use. */
export function AppShell() {
  const me = useMe();
  const role = me.data?.role;
  const links: Array<[string, string]> = [
    ['/recordings', 'Recordings'],
    ['/calls', 'Calls'],
    ['/search', 'Search'],
    ['/stats', 'Statistics'],
    ...(can(role, 'administer')
      ? ([
          ['/admin/users', 'Users'],
          ['/admin/numbers', 'Numbers'],
          ['/admin/api-keys', 'API keys'],
          ['/admin/webhooks', 'Webhooks'],
          ['/admin/audit', 'Audit log'],
        ] as Array<[string, string]>)
      : []),
    ...(can(role, 'settings') ? ([['/admin/settings', 'Settings']] as Array<[string, string]>) : []),
    ...(can(role, 'platform')
      ? ([
          ['/admin/companies', 'Companies'],
          ['/admin/quarantine', 'Quarantine'],
        ] as Array<[string, string]>)
      : []),
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">callvault</span>
        <nav aria-label="Main">
          <ul>
            {links.map(([to, label]) => (
              <li key={to}>
                <Link to={to} activeProps={{ 'aria-current': 'page', className: 'active' }}>
                  {label}
                </Link>
              </li>
            ))}
            {can(role, 'platform') ? (
              <li>
                <a href={appConfig().bullBoardPath}>Queues</a>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="who">
          {role === 'superadmin' ? <CompanySwitcher /> : null}
          {me.data ? (
            <span>
              {me.data.user.name ?? me.data.user.email ?? me.data.user.subject} <span className="muted">({role})</span>
            </span>
          ) : null}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              session.clear();
              location.assign('/app/sign-in');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {me.isPending ? (
          <Loading what="your account" />
        ) : me.error ? (
          <ErrorState error={me.error} what="your account" retry={() => void me.refetch()} />
        ) : (
          <Outlet />
        )}
      </main>
    </>
  );
}
