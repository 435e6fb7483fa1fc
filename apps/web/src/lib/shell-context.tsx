import { createContext, useContext } from 'react';
import type { CurrentTenant, Me, Permission } from './api-types';

export type Shell = { me: Me; tenant: CurrentTenant };

export const ShellContext = createContext<Shell | null>(null);

/** The signed-in user and the active tenant (with the role's permissions), inside the app shell. */
export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell() is only available inside the app shell');
  return shell;
}

/** Whether the user's role in the active tenant grants `permission` (to hide what it may not do). */
export function useCan(permission: Permission): boolean {
  return useShell().tenant.permissions.includes(permission);
}

/** The tenant's time zone: deadlines are set and shown in it, wherever the browser is. */
export function useTenantTimeZone(): string {
  return useShell().tenant.timeZone;
}
