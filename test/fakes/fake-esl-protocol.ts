// Pure pieces of the fake FreeSWITCH event socket: command reading, reply bytes, event subscription rules.
// Modelled on mod_event_socket.c (1.10) and checked byte-for-byte against the captures in test/fixtures.

import { type EslHeader, encodeFrame } from '../../src/freeswitch/event-socket/frame';

export const DISCONNECT_MESSAGE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
export const RUDE_REJECTION_MESSAGE = 'Access Denied, go away.\n';

/** One command as mod_event_socket's read_packet sees it: the first line, then `Name: value` headers, then a body. */
export interface ReceivedCommand {
  readonly connection: number;
  readonly command: string;
  readonly headers: readonly EslHeader[];
  /** What followed the headers when they carried `Content-Length` (sendevent). */
  readonly body?: string;
}

/**
 * read_packet: leading CR/LF skipped, a command ends at the second LF in a row (CRs in between don't count),
 * the first line is the command, later lines are headers; a `Content-Length` header is followed by that many
 * bytes of body (what `sendevent` sends).
 */
export class CommandReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ command: string; headers: EslHeader[]; body?: string }> {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: Array<{ command: string; headers: EslHeader[]; body?: string }> = [];
    for (;;) {
      let skip = 0;
      while (skip < this.buffer.length && (this.buffer[skip] === 0x0a || this.buffer[skip] === 0x0d)) skip++;
      this.buffer = this.buffer.subarray(skip);
      let newlines = 0;
      let end = -1;
      for (let i = 0; i < this.buffer.length; i++) {
        const c = this.buffer[i];
        if (c === 0x0a) newlines++;
        else if (c !== 0x0d) newlines = 0;
        if (newlines === 2) {
          end = i;
          break;
        }
      }
      if (end < 0) return out;
      const block = this.buffer.subarray(0, end + 1).toString('utf8');
      const lines = block.split(/\r?\n|\r/).filter((line) => line.length > 0);
      const [command = '', ...rest] = lines;
      const headers: EslHeader[] = [];
      for (const line of rest) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).replace(/^ +/, '') });
      }
      const length = headers.find((h) => h.name.toLowerCase() === 'content-length');
      const bodyBytes = length ? Number(length.value) : 0;
      if (this.buffer.length < end + 1 + bodyBytes) return out; // wait for the whole body
      const body = length ? this.buffer.subarray(end + 1, end + 1 + bodyBytes).toString('utf8') : undefined;
      this.buffer = this.buffer.subarray(end + 1 + bodyBytes);
      out.push(body === undefined ? { command, headers } : { command, headers, body });
    }
  }
}

export function authRequestFrame(): Buffer {
  return encodeFrame([{ name: 'Content-Type', value: 'auth/request' }]);
}

/** `Content-Type: command/reply` + `Reply-Text`, as listener_run writes a plain reply. */
export function commandReplyFrame(replyText: string, extra: readonly EslHeader[] = []): Buffer {
  return encodeFrame([
    { name: 'Content-Type', value: 'command/reply' },
    { name: 'Reply-Text', value: replyText },
    ...extra,
  ]);
}

/** api/response puts Content-Type before Content-Length (event frames do the opposite). */
export function apiResponseFrame(body: string): Buffer {
  const bytes = Buffer.from(body.length === 0 ? '-ERR no reply\n' : body, 'utf8');
  return encodeFrame(
    [
      { name: 'Content-Type', value: 'api/response' },
      { name: 'Content-Length', value: String(bytes.length) },
    ],
    bytes,
  );
}

export function disconnectNoticeFrame(message = DISCONNECT_MESSAGE): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return encodeFrame(
    [
      { name: 'Content-Type', value: 'text/disconnect-notice' },
      { name: 'Content-Length', value: String(bytes.length) },
    ],
    bytes,
  );
}

export function rudeRejectionFrame(): Buffer {
  const bytes = Buffer.from(RUDE_REJECTION_MESSAGE, 'utf8');
  return encodeFrame(
    [
      { name: 'Content-Type', value: 'text/rude-rejection' },
      { name: 'Content-Length', value: String(bytes.length) },
    ],
    bytes,
  );
}

/** bgapi's reply: `+OK Job-UUID: <uuid>` plus a Job-UUID header. */
export function bgapiReplyFrame(jobUuid: string): Buffer {
  return commandReplyFrame(`+OK Job-UUID: ${jobUuid}`, [{ name: 'Job-UUID', value: jobUuid }]);
}

/** mod_event_socket's answer to an api it does not know. */
export function commandNotFoundBody(apiName: string): string {
  return `-ERR ${apiName} Command not found!\n`;
}

// switch_event_types_t names (switch_event.c EVENT_NAMES); `event` ignores words that are not in this list.
export const FREESWITCH_EVENT_NAMES: ReadonlySet<string> = new Set(
  (
    'CUSTOM CLONE CHANNEL_CREATE CHANNEL_DESTROY CHANNEL_STATE CHANNEL_CALLSTATE CHANNEL_ANSWER CHANNEL_HANGUP ' +
    'CHANNEL_HANGUP_COMPLETE CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_HOLD CHANNEL_UNHOLD CHANNEL_BRIDGE ' +
    'CHANNEL_UNBRIDGE CHANNEL_PROGRESS CHANNEL_PROGRESS_MEDIA CHANNEL_OUTGOING CHANNEL_PARK CHANNEL_UNPARK ' +
    'CHANNEL_APPLICATION CHANNEL_ORIGINATE CHANNEL_UUID API LOG INBOUND_CHAN OUTBOUND_CHAN STARTUP SHUTDOWN PUBLISH ' +
    'UNPUBLISH TALK NOTALK SESSION_CRASH MODULE_LOAD MODULE_UNLOAD DTMF MESSAGE PRESENCE_IN NOTIFY_IN PRESENCE_OUT ' +
    'PRESENCE_PROBE MESSAGE_WAITING MESSAGE_QUERY ROSTER CODEC BACKGROUND_JOB DETECTED_SPEECH DETECTED_TONE ' +
    'PRIVATE_COMMAND HEARTBEAT TRAP ADD_SCHEDULE DEL_SCHEDULE EXE_SCHEDULE RE_SCHEDULE RELOADXML NOTIFY ' +
    'PHONE_FEATURE PHONE_FEATURE_SUBSCRIBE SEND_MESSAGE RECV_MESSAGE REQUEST_PARAMS CHANNEL_DATA GENERAL COMMAND ' +
    'SESSION_HEARTBEAT CLIENT_DISCONNECTED SERVER_DISCONNECTED SEND_INFO RECV_INFO RECV_RTCP_MESSAGE ' +
    'SEND_RTCP_MESSAGE CALL_SECURE NAT RECORD_START RECORD_STOP PLAYBACK_START PLAYBACK_STOP CALL_UPDATE FAILURE ' +
    'SOCKET_DATA MEDIA_BUG_START MEDIA_BUG_STOP CONFERENCE_DATA_QUERY CONFERENCE_DATA CALL_SETUP_REQ ' +
    'CALL_SETUP_RESULT CALL_DETAIL DEVICE_STATE TEXT SHUTDOWN_REQUESTED ALL'
  ).split(' '),
);

/** What one listener asked for with `event`, `noevents` and `filter`. */
export class Subscription {
  format: 'plain' | 'json' | 'xml' = 'plain';
  enabled = false;
  readonly names = new Set<string>();
  readonly subclasses = new Set<string>();
  readonly filters: EslHeader[] = [];

  /** `event [plain|json|xml] NAME... [CUSTOM sub::class...]` -> the Reply-Text FreeSWITCH sends. */
  applyEventCommand(command: string): string {
    const words = command.split(' ').slice(1);
    let keys = 0;
    let custom = false;
    for (const [index, word] of words.entries()) {
      const lower = word.toLowerCase();
      if (index === 0 && (lower === 'plain' || lower === 'json' || lower === 'xml')) {
        this.format = lower;
        continue;
      }
      if (custom) {
        this.subclasses.add(word);
        continue;
      }
      const name = word.toUpperCase();
      if (!FREESWITCH_EVENT_NAMES.has(name)) continue;
      keys++;
      this.names.add(name);
      if (name === 'CUSTOM') custom = true;
    }
    if (keys === 0) return '-ERR no keywords supplied';
    this.enabled = true;
    return `+OK event listener enabled ${this.format}`;
  }

  applyNoEvents(): string {
    if (!this.enabled) return '-ERR not listening for events';
    this.enabled = false;
    this.names.clear();
    this.subclasses.clear();
    return '+OK no longer listening for events';
  }

  /** `filter <header> <value>` / `filter delete <header> [<value>]` / `filter delete all`. */
  applyFilterCommand(command: string): string {
    const [, first = '', ...rest] = command.split(' ');
    if (first.toLowerCase() === 'delete' && rest.length > 0) {
      const [header = '', ...value] = rest;
      const wanted = value.join(' ') || undefined;
      if (header.toLowerCase() === 'all') this.filters.splice(0);
      for (let i = this.filters.length - 1; i >= 0; i--) {
        const filter = this.filters[i]!;
        if (filter.name.toLowerCase() === header.toLowerCase() && (wanted === undefined || filter.value === wanted)) {
          this.filters.splice(i, 1);
        }
      }
      return `+OK filter deleted. [${header}][${wanted ?? ''}]`;
    }
    if (rest.length === 0) return '-ERR invalid syntax';
    const value = rest.join(' ');
    this.filters.push({ name: first, value });
    return `+OK filter added. [${first}]=[${value}]`;
  }

  /** mod_event_socket's event_handler: ALL, or the name (CUSTOM only for listed subclasses), then filters. */
  wants(headers: Readonly<Record<string, string>>): boolean {
    if (!this.enabled) return false;
    const name = (headers['Event-Name'] ?? '').toUpperCase();
    const subclass = headers['Event-Subclass'];
    let send = this.names.has('ALL');
    if (!send && this.names.has(name)) send = name !== 'CUSTOM' || !subclass || this.subclasses.has(subclass);
    if (!send || this.filters.length === 0) return send;
    return this.filters.some(({ name: header, value }) => {
      const actual = lookup(headers, header);
      if (actual === undefined) return false;
      if (value.startsWith('/') && value.endsWith('/') && value.length > 1) {
        return new RegExp(value.slice(1, -1)).test(actual);
      }
      return actual.toLowerCase() === value.toLowerCase();
    });
  }
}

function lookup(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
