import type { EmailTransportKind } from '@crm/domain';
import nodemailer from 'nodemailer';
import { emailSettings, onEmailSettingsChange, type SmtpSettings } from './email.settings';

/** One email as the outbox hands it to a transport. */
export type OutgoingEmail = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
};

/**
 * Where emails go: an SMTP server (nodemailer), or the dev mailbox, which delivers nothing
 * and leaves the email for admins to read on 设置 → 邮件.
 */
export type EmailTransport = {
  kind: EmailTransportKind;
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
};

/**
 * A failed delivery. `permanent`: the server refused for good (an SMTP 5xx reply, a bad
 * address), so retrying cannot help; anything else (4xx, a connection or timeout) is retried.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = permanent;
  }
}

export function createEmailTransport(smtp: SmtpSettings | null, from: string): EmailTransport {
  if (!smtp) return { kind: 'dev_mailbox', send: async () => {}, close() {} };
  const timeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
  const transporter = smtp.url
    ? nodemailer.createTransport({ url: smtp.url, ...timeouts })
    : nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port ?? 587,
        secure: smtp.secure ?? smtp.port === 465,
        auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
        ...timeouts,
      });
  return {
    kind: 'smtp',
    async send(email) {
      try {
        await transporter.sendMail({
          from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          ...(email.html !== null && { html: email.html }),
          // The outbox row's id: a receiving server or a support desk can tell a resend apart.
          messageId: `<${email.id}@crm.outbox>`,
        });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    close() {
      transporter.close();
    },
  };
}

function toDeliveryError(error: unknown): DeliveryError {
  const failure = error as { responseCode?: number; response?: string; message?: string; code?: string };
  const message = (failure.response ?? failure.message ?? String(error)).slice(0, 1000);
  // A refused recipient is EENVELOPE whatever the reply: its code decides (451 waits, 550 bounces).
  const permanent =
    typeof failure.responseCode === 'number' ? failure.responseCode >= 500 : failure.code === 'EENVELOPE';
  return new DeliveryError(message, permanent);
}

let cached: EmailTransport | null = null;
onEmailSettingsChange(() => {
  cached?.close();
  cached = null;
});

/** The transport of the installed settings (one SMTP connection pool per process). */
export function installedEmailTransport(): EmailTransport {
  if (!cached) {
    const settings = emailSettings();
    cached = createEmailTransport(settings.smtp, settings.from);
  }
  return cached;
}
