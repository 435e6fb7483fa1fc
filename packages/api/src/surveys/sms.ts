/**
 * The SMS provider boundary: one HTTP POST per message to SMS_PROVIDER_URL with a bearer
 * token (SMS_PROVIDER_TOKEN), JSON `{ to, text, reference }`; any 2xx is accepted. A provider
 * of one's own (阿里云短信, 腾讯云短信 …) sits behind a small adapter speaking this. Without a
 * URL nothing is sent and the invitation is marked failed, so the rep copies its link instead.
 */
export type SmsProvider = { url: string; token: string | null; timeoutMs: number };

let installed: SmsProvider | null | undefined;

/** Sets the provider (the server at start-up, tests); null turns SMS off. */
export function installSmsProvider(provider: SmsProvider | null): void {
  installed = provider;
}

export function smsProvider(): SmsProvider | null {
  if (installed !== undefined) return installed;
  const url = process.env.SMS_PROVIDER_URL;
  return url ? { url, token: process.env.SMS_PROVIDER_TOKEN ?? null, timeoutMs: 10_000 } : null;
}

export type SmsOutcome = { ok: true } | { ok: false; error: string };

export async function sendSms(message: { to: string; text: string; reference: string }): Promise<SmsOutcome> {
  const provider = smsProvider();
  if (!provider) return { ok: false, error: 'sms_not_configured' };
  try {
    const response = await fetch(provider.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(provider.token ? { Authorization: `Bearer ${provider.token}` } : {}),
      },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(provider.timeoutMs),
    });
    if (response.ok) return { ok: true };
    return { ok: false, error: `sms_http_${response.status}` };
  } catch (error) {
    return { ok: false, error: `sms_unreachable: ${(error as Error).message}`.slice(0, 200) };
  }
}
