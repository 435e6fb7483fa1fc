/** Cookie attributes for the session token (ASVS 5 V3.3). */
export type SessionCookie = {
  name: string;
  attributes: { httpOnly: true; sameSite: 'Lax'; secure: boolean; path: '/' };
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `__Host-` + Secure everywhere, except a plain-http loopback origin (a developer's
 * machine or the embedded demo), where browsers would drop a Secure cookie.
 */
export function sessionCookieFor(publicUrl: string): SessionCookie {
  const url = new URL(publicUrl);
  const relaxed = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  return {
    name: relaxed ? 'crm_session' : '__Host-crm_session',
    attributes: { httpOnly: true, sameSite: 'Lax', secure: !relaxed, path: '/' },
  };
}
