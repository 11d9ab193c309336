// One event-socket frame (header block + optional Content-Length body) and its exact wire encoding.

/** One `Name: value` line of a header block, in the order FreeSWITCH sent it. */
export interface EslHeader {
  readonly name: string;
  readonly value: string;
}

/** A complete frame as it came off the socket. `body` is empty when there was no Content-Length. */
export interface EslFrame {
  readonly headers: readonly EslHeader[];
  readonly body: Buffer;
}

/** The Content-Type values FreeSWITCH 1.10 sends on an inbound event socket. */
export const ContentType = {
  authRequest: 'auth/request',
  commandReply: 'command/reply',
  apiResponse: 'api/response',
  eventPlain: 'text/event-plain',
  eventJson: 'text/event-json',
  eventXml: 'text/event-xml',
  disconnectNotice: 'text/disconnect-notice',
  rudeRejection: 'text/rude-rejection',
  logData: 'log/data',
} as const;

/** First header with this name; ESL header names are case-insensitive (libesl compares with strcasecmp). */
export function getHeader(headers: readonly EslHeader[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const header of headers) {
    if (header.name.toLowerCase() === wanted) return header.value;
  }
  return undefined;
}

export function contentTypeOf(frame: EslFrame): string {
  return getHeader(frame.headers, 'Content-Type') ?? '';
}

/** The frame's body as text (FreeSWITCH bodies are UTF-8). */
export function bodyText(frame: EslFrame): string {
  return frame.body.toString('utf8');
}

/**
 * Wire bytes of a frame: the header lines in the given order, a blank line, then the body.
 * Content-Length is not added: the caller lists it where FreeSWITCH puts it (first for events, second for api/response).
 */
export function encodeFrame(headers: readonly EslHeader[], body: Buffer | string = ''): Buffer {
  const head = headers.map((h) => `${h.name}: ${h.value}\n`).join('') + '\n';
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(head, 'utf8'), bodyBytes]);
}
