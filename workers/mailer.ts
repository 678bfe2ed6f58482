// E-mailed notifications over SMTP (nodemailer). The in-app notification is always written; the e-mail is sent
// where SMTP_URL is configured and the recipient account has an address.
import nodemailer from 'nodemailer';

export interface Mailer {
  /** `messageId`: a stable Message-ID (the outbox's, so that a resent mail is recognisably the same message). */
  send(to: string[], subject: string, text: string, options?: { messageId?: string }): Promise<void>;
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
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
