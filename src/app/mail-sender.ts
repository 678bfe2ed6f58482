// Issue 16: delivers the outbox's e-mails (src/store/mail-outbox.ts) from the server process. Woken after each
// commit that queued mail, on a timer for the next retry, and at start (what a crash left pending is sent then).
// A refused or failed send keeps its error and is tried again after an exponential backoff, up to `maxAttempts`.
// Each mail carries a Message-ID derived from its outbox row, so the one duplicate SMTP itself allows (the server
// accepted it and the process died before marking it sent) is recognisable as the same message.
import type { Kysely } from 'kysely';
import {
  claimDueMail,
  markMailFailed,
  markMailSent,
  nextMailDue,
  releaseMailLeases,
} from '../store/mail-outbox.ts';
import type { Database } from '../store/schema.ts';

/** What sends one e-mail (workers/mailer.ts's nodemailer transport in production). */
export interface MailTransport {
  send(to: string[], subject: string, text: string, options?: { messageId?: string }): Promise<void>;
}

/** What the commands need to know of e-mail: where the app is (for links) and whom to tell that mail is queued. */
export interface MailNotices {
  /** PUBLIC_URL, or null: the mails then carry no link. */
  publicUrl: string | null;
  /** Called after a transaction that queued mail committed. */
  wake(): void;
}

export interface MailSenderOptions {
  /** First retry after this long; doubled each attempt up to `maxBackoffMs`. Default 30 s. */
  backoffMs?: number;
  /** Default 1 hour. */
  maxBackoffMs?: number;
  /** After this many attempts the mail is marked failed (its last error kept). Default 12. */
  maxAttempts?: number;
  /**
   * How long a claimed mail is held before another sender may take it; longer than one attempt may take
   * (workers/mailer.ts bounds it by its SMTP timeouts). Default 10 minutes.
   */
  leaseMs?: number;
  /** Looks for mail at least this often (mails another process queued). Default 60 s. */
  pollMs?: number;
  /**
   * This is the only sender of the store (SQLite: one server holds the data directory): at start, a mail still
   * leased was being sent when the last process died, and is tried again at once instead of when its lease ends.
   * Never with PostgreSQL, where another server's sender may hold the lease. Default false.
   */
  soleSender?: boolean;
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export class MailSender implements MailNotices {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly o: Required<Omit<MailSenderOptions, 'log' | 'soleSender'>>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly transport: MailTransport,
    readonly publicUrl: string | null,
    private readonly options: MailSenderOptions = {},
  ) {
    this.o = {
      backoffMs: options.backoffMs ?? 30_000,
      maxBackoffMs: options.maxBackoffMs ?? 3_600_000,
      maxAttempts: options.maxAttempts ?? 12,
      leaseMs: options.leaseMs ?? 600_000,
      pollMs: options.pollMs ?? 60_000,
    };
  }

  /** Starts delivering, beginning with whatever is pending. */
  start(): void {
    this.stopped = false;
    if (!this.options.soleSender) {
      this.wake();
      return;
    }
    this.running = releaseMailLeases(this.db, new Date())
      .then((n) => {
        if (n > 0) this.options.log?.info({ mails: n }, 'mail outbox: leases of the last process released');
      })
      .catch((err: unknown) => this.options.log?.warn({ err }, 'mail outbox: leases not released'))
      .finally(() => {
        this.running = null;
        this.wake();
      });
  }

  /** Delivers what is due now (and schedules the next retry); a wake during a run runs again after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.options.log?.warn({ err }, 'mail outbox: delivery run failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else void this.schedule();
      });
  }

  /** Stops; a send under way finishes (and is marked) first. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const mail = await claimDueMail(this.db, new Date(), this.o.leaseMs);
      if (!mail) return;
      try {
        await this.transport.send([mail.recipient], mail.subject, mail.body, {
          messageId: `<${mail.id}@mail-outbox.yunfu>`,
        });
        await markMailSent(this.db, mail.id, new Date());
        this.options.log?.info({ mailId: mail.id, attempts: mail.attempts }, 'mail sent');
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        const giveUp = mail.attempts >= this.o.maxAttempts;
        const delay = Math.min(this.o.backoffMs * 2 ** (mail.attempts - 1), this.o.maxBackoffMs);
        await markMailFailed(this.db, mail.id, error, giveUp ? null : new Date(Date.now() + delay));
        this.options.log?.warn({ mailId: mail.id, attempts: mail.attempts, error, giveUp }, 'mail not sent');
      }
    }
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const due = await nextMailDue(this.db).catch(() => null);
    const wait = due ? Math.max(0, due.getTime() - Date.now()) : this.o.pollMs;
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.min(wait, this.o.pollMs) + 10);
    this.timer.unref();
  }
}
