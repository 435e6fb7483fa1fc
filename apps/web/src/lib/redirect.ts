/** Only same-site paths are followed after sign-in (no open redirects); otherwise the workbench (工作台). */
export function safeRedirect(target: string | undefined, fallback = '/workbench'): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  if (target.startsWith('/sign-in') || target.startsWith('/sign-up')) return fallback;
  return target;
}
