import { createRootRoute, createRoute, createRouter, Outlet, redirect, useRouterState } from '@tanstack/react-router';
import { AppShell } from './app-shell';
import { CallbackPage } from './auth/callback-page';
import { session } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { validateListFilters } from './lists/filters';
import { ApiKeysPage } from './pages/admin/api-keys-page';
import { AuditPage, validateAuditFilters } from './pages/admin/audit-page';
import { CompaniesPage } from './pages/admin/companies-page';
import { PhoneNumbersPage } from './pages/admin/phone-numbers-page';
import { QuarantinePage } from './pages/admin/quarantine-page';
import { SettingsPage } from './pages/admin/settings-page';
import { UsersPage } from './pages/admin/users-page';
import { WebhooksPage } from './pages/admin/webhooks-page';
import { CallPage } from './pages/call-page';
import { CallsPage } from './pages/calls-page';
import { RecordingPage } from './pages/recording-page';
import { RecordingsPage } from './pages/recordings-page';
import { SearchPage, validateSearchQuery } from './pages/search-page';
import { StatsPage, validateStatsRange } from './pages/stats-page';
import { NotFound } from './ui/states';

const PUBLIC = ['/sign-in', '/callback'];

function Root() {
  const path = useRouterState({ select: (state) => state.location.pathname });
  return PUBLIC.some((prefix) => path.endsWith(prefix)) ? <Outlet /> : <AppShell />;
}

const rootRoute = createRootRoute({
  component: Root,
  // Every page but sign-in needs a token; without one, sign in and come back here.
  beforeLoad: ({ location }) => {
    if (PUBLIC.some((prefix) => location.pathname.endsWith(prefix)) || session.token()) return;
    session.rememberReturn(window.location.pathname + window.location.search);
    throw redirect({ to: '/sign-in' });
  },
  notFoundComponent: () => <NotFound what="page" />,
});

const parent = { getParentRoute: () => rootRoute };

const routeTree = rootRoute.addChildren([
  createRoute({ ...parent, path: '/', beforeLoad: () => redirect({ to: '/recordings', throw: true }) }),
  createRoute({ ...parent, path: '/sign-in', component: SignInPage }),
  createRoute({ ...parent, path: '/callback', component: CallbackPage }),
  createRoute({ ...parent, path: '/recordings', component: RecordingsPage, validateSearch: validateListFilters }),
  createRoute({ ...parent, path: '/recordings/$id', component: RecordingPage }),
  createRoute({ ...parent, path: '/calls', component: CallsPage, validateSearch: validateListFilters }),
  createRoute({ ...parent, path: '/calls/$id', component: CallPage }),
  createRoute({ ...parent, path: '/search', component: SearchPage, validateSearch: validateSearchQuery }),
  createRoute({ ...parent, path: '/stats', component: StatsPage, validateSearch: validateStatsRange }),
  createRoute({ ...parent, path: '/admin/users', component: UsersPage }),
  createRoute({ ...parent, path: '/admin/numbers', component: PhoneNumbersPage }),
  createRoute({ ...parent, path: '/admin/api-keys', component: ApiKeysPage }),
  createRoute({ ...parent, path: '/admin/webhooks', component: WebhooksPage }),
  createRoute({ ...parent, path: '/admin/settings', component: SettingsPage }),
  createRoute({ ...parent, path: '/admin/audit', component: AuditPage, validateSearch: validateAuditFilters }),
  createRoute({ ...parent, path: '/admin/companies', component: CompaniesPage }),
  createRoute({ ...parent, path: '/admin/quarantine', component: QuarantinePage }),
]);

export const router = createRouter({ routeTree, basepath: '/app', defaultPreload: 'intent' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
