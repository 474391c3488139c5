import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/client.ts';
import { ApiKeyProvider } from './auth/api-key-context.tsx';
import { router } from './router.tsx';
import './styles/base.css';
import './styles/trace-list.css';
import './styles/trace-detail.css';
import './styles/views.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A refused key or a missing trace will not change on retry; a network blip may.
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ApiKeyProvider>
        <RouterProvider router={router} />
      </ApiKeyProvider>
    </QueryClientProvider>
  </StrictMode>,
);
