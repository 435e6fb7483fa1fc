import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { queryClient, TRPCProvider, trpcClient } from '../lib/trpc';

/**
 * The query client and tRPC, around the router. antd's providers (theme, locale, App context)
 * are the layouts' (`AntdProviders` in `_app`, AuthLayout and the error pages): antd is loaded
 * with the first page's code, in parallel with its data, not before the app can ask for it.
 */
export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
