// A real SMTP receiver on 127.0.0.1 (the smtp-server package) for the e-mail tests: it keeps what it received and
// can refuse the next RCPT TO commands, as a mail server that rejects a recipient for a while does.
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The decoded text part (quoted-printable or base64 as nodemailer wrote it). */
  text: string;
  subject: string;
  messageId: string;
}

export interface SmtpReceiver {
  url: string;
  received: ReceivedMail[];
  /** How many RCPT TO commands are still to be refused. */
  refuseNext: number;
  /** Refuses (451 after DATA) the messages it holds for, and counts them in `refused`; null: none. */
  refuseData: ((m: ReceivedMail) => boolean) | null;
  /** Holds the messages it holds for without answering (a server that never acknowledges); counts them in `held`. */
  holdData: ((m: ReceivedMail) => boolean) | null;
  held: ReceivedMail[];
  /** How many RCPT TO commands and messages were refused so far. */
  refused: number;
  close(): Promise<void>;
}

function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  const m = new RegExp(`^${name}:((?:.*)(?:\\r\\n[ \\t].*)*)`, 'im').exec(head);
  return (m?.[1] ?? '').replace(/\r\n[ \t]/g, ' ').trim();
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) as text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQp(data.replace(/_/g, ' ')),
    );
}

function decodeQp(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

function bodyText(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const encoding = header(raw, 'Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQp(body);
  return body;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = {
    url: '',
    received: [],
    refuseNext: 0,
    refused: 0,
    refuseData: null,
    holdData: null,
    held: [],
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (receiver.refuseNext > 0) {
        receiver.refuseNext--;
        receiver.refused++;
        const refusal = new Error('mailbox temporarily unavailable') as Error & { responseCode: number };
        refusal.responseCode = 450;
        return callback(refusal);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: bodyText(raw),
          subject: decodeWords(header(raw, 'Subject')),
          messageId: header(raw, 'Message-ID'),
        };
        if (receiver.holdData?.(mail)) {
          receiver.held.push(mail);
          return; // never answered: the sender dies waiting
        }
        if (receiver.refuseData?.(mail)) {
          receiver.refused++;
          const refusal = new Error('local error in processing, try again later') as Error & {
            responseCode: number;
          };
          refusal.responseCode = 451;
          return callback(refusal);
        }
        receiver.received.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  receiver.url = `smtp://127.0.0.1:${port}`;
  receiver.close = () => new Promise<void>((r) => server.close(() => r()));
  return receiver;
}
