// Activity as CSV (RFC 4180, CRLF), written batch by batch to a Writable that is allowed to push back: memory stays
// flat whatever the number of calls. Cells are safe to open in a spreadsheet: text starting with = + - @ tab or CR
// (a formula to Excel, LibreOffice and Sheets) is prefixed with an apostrophe.
import type { Writable } from 'node:stream';
import type { ActivityCall } from './search';

const COLUMNS: Array<[string, (c: ActivityCall) => string | number | null]> = [
  ['Start', (c) => c.start],
  ['Answer', (c) => c.answer],
  ['End', (c) => c.end],
  ['Type', (c) => c.direction],
  ['Caller extension', (c) => c.callerExtension],
  ['Callee extension', (c) => c.calleeExtension],
  ['Caller number', (c) => c.callerNumber],
  ['Caller name', (c) => c.callerName],
  ['Dialed', (c) => c.destination],
  ['Answered by', (c) => c.calleeNumber],
  ['Phone number', (c) => c.phoneNumber],
  ['Outside number', (c) => c.remoteNumber],
  ['Duration (s)', (c) => c.durationSec],
  ['Billed (s)', (c) => c.billSec],
  ['Result', (c) => c.disposition],
  ['Hang-up cause', (c) => c.hangupCause],
  ['Route', (c) => c.route],
  ['Call ID', (c) => c.uuid],
];

/** One CSV cell: neutralised when a spreadsheet would read it as a formula, quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${COLUMNS.map(([name]) => csvCell(name)).join(',')}\r\n`;
}

export function csvLine(call: ActivityCall): string {
  return `${COLUMNS.map(([, get]) => csvCell(get(call))).join(',')}\r\n`;
}

/** Writes text, waiting for 'drain' when the stream asks; fails if the reader went away. */
export function writeRespectingBackpressure(out: Writable, text: string): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.reject(new Error('the reader went away'));
  if (out.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the reader went away'));
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', done);
  });
}
