// One authenticated TCP session with mod_event_socket: handshake, in-order reply matching, events handed upward.

import { connect as netConnect, type Socket } from 'node:net';
import { encodeCommand } from './command';
import {
  EslAuthError,
  EslConnectError,
  EslDisconnectedError,
  type EslError,
  EslProtocolError,
  EslTimeoutError,
} from './errors';
import { bodyText, ContentType, contentTypeOf, type EslFrame, type EslHeader, getHeader } from './frame';
import { EslFrameParser, type EslFrameParserOptions } from './frame-parser';

export interface EslConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  /** Budget for TCP connect + greeting + auth. */
  readonly connectTimeoutMs: number;
  readonly parser?: EslFrameParserOptions;
}

export interface EslConnectionHandlers {
  /** text/event-plain and text/event-json frames, in arrival order. */
  onEventFrame(frame: EslFrame): void;
  /** Called once when the session ends for any reason other than our own close(). */
  onLost(error: EslError): void;
}

interface PendingReply {
  readonly command: string;
  settled: boolean;
  resolve(frame: EslFrame): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

const REPLY_TYPES = new Set<string>([ContentType.commandReply, ContentType.apiResponse]);

export class EslConnection {
  /** Replies arrive strictly in command order, so a FIFO matches them; timed-out entries stay as placeholders. */
  private readonly pending: PendingReply[] = [];
  private ended = false;
  private closingByUs = false;
  private closing: Promise<void> | undefined;
  private disconnectNotice: string | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly parser: EslFrameParser,
    private readonly handlers: EslConnectionHandlers,
  ) {}

  /** Connects and authenticates; rejects with EslConnectError, EslAuthError or EslProtocolError. */
  static open(options: EslConnectionOptions, handlers: EslConnectionHandlers): Promise<EslConnection> {
    // Checked before dialing so a bad password never half-opens a session; the message never echoes it.
    const authBytes = encodeCommand(`auth ${options.password}`);
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: options.host, port: options.port });
      socket.setNoDelay(true);
      const parser = new EslFrameParser(options.parser);
      let phase: 'greeting' | 'auth' = 'greeting';
      let done = false;

      const fail = (error: EslError) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new EslConnectError(
              `no ESL session with ${options.host}:${options.port} within ${options.connectTimeoutMs} ms`,
            ),
          ),
        options.connectTimeoutMs,
      );

      const onData = (chunk: Buffer) => {
        let frames: EslFrame[];
        try {
          frames = parser.push(chunk);
        } catch (error) {
          fail(error as EslProtocolError);
          return;
        }
        for (const [index, frame] of frames.entries()) {
          const type = contentTypeOf(frame);
          if (type === ContentType.rudeRejection) {
            fail(new EslAuthError(`event socket refused us (ACL): ${bodyText(frame).trim()}`, bodyText(frame).trim()));
            return;
          }
          if (phase === 'greeting') {
            if (type !== ContentType.authRequest) {
              fail(new EslProtocolError(`expected auth/request greeting, got ${JSON.stringify(type)}`));
              return;
            }
            phase = 'auth';
            socket.write(authBytes);
            continue;
          }
          if (type !== ContentType.commandReply) continue;
          const replyText = getHeader(frame.headers, 'Reply-Text') ?? '';
          if (!replyText.startsWith('+OK')) {
            fail(new EslAuthError(`event socket password refused (${replyText || 'no Reply-Text'})`, replyText));
            return;
          }
          done = true;
          clearTimeout(timer);
          socket.removeAllListeners();
          const connection = new EslConnection(socket, parser, handlers);
          connection.attach();
          resolve(connection);
          // Anything FreeSWITCH sent right behind the auth reply belongs to the live session.
          const rest = frames.slice(index + 1);
          if (rest.length) connection.dispatch(rest);
          return;
        }
      };

      socket.on('data', onData);
      socket.on('error', (error) =>
        fail(new EslConnectError(`cannot reach event socket ${options.host}:${options.port}: ${error.message}`)),
      );
      socket.on('close', () =>
        fail(new EslConnectError(`event socket ${options.host}:${options.port} closed during the handshake`)),
      );
    });
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Sends one command and resolves with its reply frame (command/reply or api/response). */
  send(command: string, headers: readonly EslHeader[], timeoutMs: number, body?: string): Promise<EslFrame> {
    let bytes: Buffer;
    try {
      bytes = encodeCommand(command, headers, body);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.ended) {
      return Promise.reject(new EslDisconnectedError('event socket is not connected', 'not-connected'));
    }
    return new Promise<EslFrame>((resolve, reject) => {
      const entry: PendingReply = { command, settled: false, resolve, reject, timer: undefined };
      entry.timer = setTimeout(() => {
        if (entry.settled) return;
        entry.settled = true;
        reject(new EslTimeoutError(`no reply to \`${command}\` within ${timeoutMs} ms`, command, timeoutMs));
      }, timeoutMs);
      this.pending.push(entry);
      this.socket.write(bytes);
    });
  }

  /** Polite close: `exit`, wait briefly for FreeSWITCH to hang up, then cut the socket anyway. */
  close(graceMs = 1000): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.closing ??= this.closeOnce(graceMs);
    return this.closing;
  }

  private async closeOnce(graceMs: number): Promise<void> {
    this.closingByUs = true;
    this.failPending(new EslDisconnectedError('event socket client closed', 'closed'));
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.write(encodeCommand('exit'));
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  /** Drops the session at once (protocol error, shutdown); onLost fires unless we were closing. */
  destroy(error: EslError): void {
    if (this.ended) return;
    this.finish(error);
    this.socket.destroy();
  }

  private attach(): void {
    this.socket.on('data', (chunk: Buffer) => {
      let frames: EslFrame[];
      try {
        frames = this.parser.push(chunk);
      } catch (error) {
        this.destroy(error as EslProtocolError);
        return;
      }
      this.dispatch(frames);
    });
    this.socket.on('error', () => {
      // 'close' follows every 'error'; the loss is reported there.
    });
    this.socket.on('close', () => {
      const why = this.disconnectNotice ? `FreeSWITCH disconnected us: ${this.disconnectNotice}` : 'connection lost';
      this.finish(new EslDisconnectedError(`event socket ${why}`, this.closingByUs ? 'closed' : 'connection-lost'));
    });
  }

  private dispatch(frames: EslFrame[]): void {
    for (const frame of frames) {
      if (this.ended) return;
      const type = contentTypeOf(frame);
      if (REPLY_TYPES.has(type)) {
        const entry = this.pending.shift();
        if (!entry) {
          if (this.closingByUs) continue; // the `+OK bye` to our exit
          this.destroy(new EslProtocolError(`unexpected ${type} with no command waiting`));
          return;
        }
        clearTimeout(entry.timer);
        if (!entry.settled) {
          entry.settled = true;
          entry.resolve(frame);
        }
      } else if (type === ContentType.eventPlain || type === ContentType.eventJson) {
        this.handlers.onEventFrame(frame);
      } else if (type === ContentType.disconnectNotice) {
        this.disconnectNotice = bodyText(frame).split('\n')[0]?.trim() || 'disconnect notice';
      }
      // log/data and text/event-xml are never asked for; ignoring them keeps the reply FIFO honest.
    }
  }

  private finish(error: EslError): void {
    if (this.ended) return;
    this.ended = true;
    this.failPending(
      error instanceof EslDisconnectedError
        ? error
        : new EslDisconnectedError(`event socket dropped: ${error.message}`, 'connection-lost'),
    );
    if (!this.closingByUs) this.handlers.onLost(error);
  }

  private failPending(error: EslDisconnectedError): void {
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      if (entry.settled) continue;
      entry.settled = true;
      entry.reject(error);
    }
  }
}
