// E-mailed notifications over SMTP (nodemailer). The in-app notification is always written; the e-mail is sent
// where SMTP_URL is configured and the recipient account has an address.
import nodemailer from 'nodemailer';

export interface Mailer {
  /** `messageId`: a stable Message-ID (the outbox's, so that a resent mail is recognisably the same message). */
  send(to: string[], subject: string, text: string, options?: { messageId?: string }): Promise<void>;
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  // A mail server that stops answering must not hold a send for nodemailer's default hour of socket inactivity:
  // the outbox's lease on a mail being sent (src/app/mail-sender.ts) must outlast any one attempt.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(to, subject, text, options = {}) {
      await transport.sendMail({
        from,
        to,
        subject,
        text,
        ...(options.messageId ? { messageId: options.messageId } : {}),
      });
    },
  };
}
