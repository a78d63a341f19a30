import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api';
import { loadAppConfig, setAppConfig } from './app-config';
import { session, takeTokenFromFragment } from './auth/session';
import { router } from './router';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

async function start() {
  setAppConfig(await loadAppConfig());
  // `pnpm demo` prints /app#token=...: the token is taken and the fragment wiped from the history.
  const fromLink = takeTokenFromFragment(location, history);
  if (fromLink) session.setToken(fromLink);
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a 5xx or a network failure may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        staleTime: 15_000,
        refetchOnWindowFocus: false,
      },
    },
  });
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  root.render(
    <main id="main" className="sign-in">
      <h1>callvault could not start</h1>
      <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
    </main>,
  );
});
