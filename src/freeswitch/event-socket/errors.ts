// Typed errors of the FreeSWITCH event-socket layer: callers tell "FreeSWITCH said no" from "we never heard back".

/** Base class: every failure raised by the event-socket client or its typed commands. */
export class EslError extends Error {
  override name = 'EslError';
}

/** The bytes FreeSWITCH sent do not follow the ESL framing rules; the connection cannot be trusted any more. */
export class EslProtocolError extends EslError {
  override name = 'EslProtocolError';
}

/** The password was refused (`-ERR invalid`) or the event socket's ACL turned us away (rude rejection). */
export class EslAuthError extends EslError {
  override name = 'EslAuthError';
  constructor(
    message: string,
    readonly replyText: string,
  ) {
    super(message);
  }
}

/** The TCP connection could not be opened (refused, unreachable, connect timeout). */
export class EslConnectError extends EslError {
  override name = 'EslConnectError';
}

/**
 * The command may or may not have run: the connection was lost, was never up, or was closed by us
 * before its reply arrived. Retrying is the caller's decision.
 */
export class EslDisconnectedError extends EslError {
  override name = 'EslDisconnectedError';
  constructor(
    message: string,
    readonly reason: 'not-connected' | 'connection-lost' | 'closed',
  ) {
    super(message);
  }
}

/** No reply (or, for bgapi, no BACKGROUND_JOB) within the allowed time. The command may still run later. */
export class EslTimeoutError extends EslError {
  override name = 'EslTimeoutError';
  constructor(
    message: string,
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** The command text was refused before sending: it would have injected a second command into the stream. */
export class EslCommandRefusedError extends EslError {
  override name = 'EslCommandRefusedError';
}

/** A typed command's argument (user, domain, uuid, status, ...) is not something we are willing to send. */
export class EslArgumentError extends EslError {
  override name = 'EslArgumentError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** FreeSWITCH answered with an error body (`-ERR ...`, `-USAGE: ...`) where the caller asked for success. */
export class EslApiError extends EslError {
  override name = 'EslApiError';
  constructor(
    readonly command: string,
    readonly body: string,
  ) {
    super(`FreeSWITCH refused \`${command}\`: ${body.trim() || '(empty reply)'}`);
  }
}

/** FreeSWITCH answered, but not in the shape the typed parser expects (version drift, wrong command). */
export class EslReplyFormatError extends EslError {
  override name = 'EslReplyFormatError';
  constructor(
    message: string,
    readonly body: string,
  ) {
    super(message);
  }
}
