/**
 * How this process sends email, installed once at start-up (the server's SMTP_* variables,
 * apps/server/src/env.ts) like the keyring: the outbox job reads it when it sends, and
 * notifications read `publicUrl` to turn an app path into a link in an email. Nothing here
 * is per tenant.
 */
export type SmtpSettings = {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; wins over the separate fields. */
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  pass?: string;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
};

export type EmailSettings = {
  /** The address users open (PUBLIC_URL), for links in emails. */
  publicUrl: string;
  /** The From header (SMTP_FROM). */
  from: string;
  /** Null: no SMTP server configured; emails go to the dev mailbox (设置 → 邮件). */
  smtp: SmtpSettings | null;
};

const DEFAULT_SETTINGS: EmailSettings = {
  publicUrl: 'http://localhost:3000',
  from: 'CRM <no-reply@localhost>',
  smtp: null,
};

let installed: EmailSettings = DEFAULT_SETTINGS;
const listeners = new Set<() => void>();

export function installEmailSettings(settings: Partial<EmailSettings>): void {
  installed = { ...DEFAULT_SETTINGS, ...settings };
  for (const listener of listeners) listener();
}

export function emailSettings(): EmailSettings {
  return installed;
}

/** Called when the settings change (the cached SMTP transport is rebuilt). */
export function onEmailSettingsChange(listener: () => void): void {
  listeners.add(listener);
}

/** An app path as an absolute address users can open from their mail client. */
export function absoluteLink(path: string): string {
  return new URL(path, installed.publicUrl).toString();
}
