// A protocol-faithful fake FreeSWITCH event socket on 127.0.0.1:0, answering from the captured 1.10.12 bytes.

import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { parseEventFrame } from '../../src/freeswitch/event-socket/event';
import { bodyText } from '../../src/freeswitch/event-socket/frame';
import { defaultApiFixtures, eslFixtureBody, eslFixtureFrames, knownApiNames, readEslFixture } from './esl-fixtures';
import { eventsToPush, type PushableEvent, serializeFor } from './fake-esl-events';
import {
  apiResponseFrame,
  authRequestFrame,
  bgapiReplyFrame,
  CommandReader,
  commandNotFoundBody,
  commandReplyFrame,
  disconnectNoticeFrame,
  type ReceivedCommand,
  rudeRejectionFrame,
  Subscription,
} from './fake-esl-protocol';

export type { PushableEvent } from './fake-esl-events';
export { waitFor } from './wait-for';

/** What the fake answers to one `api` command: a body, a fixture file, or nothing ever (a hung API). */
export type ApiReply = { readonly body: string } | { readonly fixture: string } | { readonly hang: true };

export interface FakeEslServerOptions {
  readonly password?: string;
  /** Fire a bgapi's BACKGROUND_JOB before writing its command/reply (a race real FreeSWITCH can produce). */
  readonly jobEventBeforeReply?: boolean;
}

interface FakeConnection {
  readonly id: number;
  readonly socket: Socket;
  readonly reader: CommandReader;
  readonly subscription: Subscription;
  authed: boolean;
  /** Set while an API "hangs": FreeSWITCH runs api inline, so nothing after it on this connection is answered. */
  stalled: boolean;
  readonly backlog: Array<{ command: string; headers: ReceivedCommand['headers']; body?: string }>;
}

// Headers every BACKGROUND_JOB carries before Job-UUID, taken from the capture so generated jobs look real.
const JOB_TEMPLATE = parseEventFrame(eslFixtureFrames('esl-bgapi-status-BACKGROUND_JOB.txt')[0]!).headerList.filter(
  (h) => !['Job-UUID', 'Job-Command', 'Job-Command-Arg', 'Content-Length'].includes(h.name),
);

export class FakeEslServer {
  /** Every command received, authenticated or not, in arrival order. */
  readonly commands: ReceivedCommand[] = [];
  /** `api` commands that had neither an override nor a fixture: a test asked for something never captured. */
  readonly unmatchedApis: string[] = [];
  /** Runtime password; change it to make the next auth fail. */
  password: string;
  /** What happens to new TCP connections: served normally, closed at once, or turned away by the ACL. */
  admission: 'accept' | 'close' | 'acl' = 'accept';
  /** Called after each command has been answered, to let a test push the events FreeSWITCH would fire. */
  onCommand: ((command: ReceivedCommand) => void) | undefined;
  jobEventBeforeReply: boolean;
  private readonly connections = new Map<number, FakeConnection>();
  private readonly apiOverrides = new Map<string, ApiReply>();
  private readonly apiFixtures = defaultApiFixtures();
  private nextConnectionId = 1;
  private acceptedTotal = 0;
  private eventSequence = 10_000;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    options: FakeEslServerOptions,
  ) {
    this.password = options.password ?? 'ClueCon';
    this.jobEventBeforeReply = options.jobEventBeforeReply ?? false;
  }

  static async start(options: FakeEslServerOptions = {}): Promise<FakeEslServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('fake ESL server has no TCP address');
    const fake = new FakeEslServer(server, address.port, options);
    server.on('connection', (socket) => fake.accept(socket));
    return fake;
  }

  readonly host = '127.0.0.1';

  /** Open, authenticated-or-not connections right now. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Connections ever accepted (including ones closed by `admission`). */
  get acceptedCount(): number {
    return this.acceptedTotal;
  }

  /** Commands received so far, as text, optionally for one connection. */
  commandTexts(connection?: number): string[] {
    return this.commands.filter((c) => connection === undefined || c.connection === connection).map((c) => c.command);
  }

  /** Overrides the reply to `api <command>` (text after `api `). */
  setApiReply(command: string, reply: ApiReply): void {
    this.apiOverrides.set(command, reply);
  }

  clearApiReply(command: string): void {
    this.apiOverrides.delete(command);
  }

  /** Delivers an event to every connection whose subscription and filters want it; returns how many got it. */
  pushEvent(source: PushableEvent): number {
    let delivered = 0;
    for (const item of eventsToPush(source)) {
      for (const connection of this.connections.values()) {
        if (!connection.authed || !connection.subscription.wants(item.event.headers)) continue;
        const bytes = serializeFor(item, connection.subscription.format);
        if (!bytes) continue;
        connection.socket.write(bytes);
        delivered++;
      }
    }
    return delivered;
  }

  /** Writes raw bytes to every authenticated connection (protocol edge cases). */
  pushRaw(bytes: Buffer): void {
    for (const connection of this.connections.values()) if (connection.authed) connection.socket.write(bytes);
  }

  /** Cuts every connection without a goodbye, like a crashed or restarted FreeSWITCH. */
  dropConnections(): void {
    for (const connection of this.connections.values()) connection.socket.destroy();
  }

  /** Ends every connection the way mod_event_socket does on shutdown: disconnect notice, then close. */
  disconnectAll(message = 'The system is being shut down.\n'): void {
    for (const connection of this.connections.values()) {
      connection.socket.end(disconnectNoticeFrame(message));
    }
  }

  /** Lets a hung API answer (with `body`) and resumes the connection's queued commands. */
  releaseHung(body = '+OK\n'): void {
    for (const connection of this.connections.values()) {
      if (!connection.stalled) continue;
      connection.stalled = false;
      connection.socket.write(apiResponseFrame(body));
      this.drain(connection);
    }
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.acceptedTotal++;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    if (this.admission === 'close') {
      socket.destroy();
      return;
    }
    if (this.admission === 'acl') {
      // listener_run: rude rejection, then the ordinary goodbye on the way out.
      socket.end(Buffer.concat([rudeRejectionFrame(), disconnectNoticeFrame()]));
      return;
    }
    const connection: FakeConnection = {
      id: this.nextConnectionId++,
      socket,
      reader: new CommandReader(),
      subscription: new Subscription(),
      authed: false,
      stalled: false,
      backlog: [],
    };
    this.connections.set(connection.id, connection);
    socket.on('close', () => this.connections.delete(connection.id));
    socket.on('data', (chunk: Buffer) => {
      connection.backlog.push(...connection.reader.push(chunk));
      this.drain(connection);
    });
    socket.write(authRequestFrame());
  }

  private drain(connection: FakeConnection): void {
    while (!connection.stalled && connection.backlog.length > 0 && !connection.socket.destroyed) {
      const { command, headers, body } = connection.backlog.shift()!;
      const received: ReceivedCommand = { connection: connection.id, command, headers, body };
      this.commands.push(received);
      this.handle(connection, command, headers);
      this.onCommand?.(received);
    }
  }

  /** parse_command, in the order mod_event_socket checks things. */
  private handle(connection: FakeConnection, command: string, headers: ReceivedCommand['headers']): void {
    const { socket } = connection;
    const lower = command.toLowerCase();
    if (lower.startsWith('exit') || lower.startsWith('...')) {
      socket.end(Buffer.concat([commandReplyFrame('+OK bye'), disconnectNoticeFrame()]));
      return;
    }
    if (!connection.authed) {
      if (lower.startsWith('auth ')) {
        if (command.slice(5) === this.password) {
          connection.authed = true;
          socket.write(commandReplyFrame('+OK accepted'));
        } else {
          socket.end(Buffer.concat([commandReplyFrame('-ERR invalid'), disconnectNoticeFrame()]));
        }
        return;
      }
      socket.write(commandReplyFrame('-ERR command not found'));
      return;
    }
    if (lower.startsWith('filter ')) {
      socket.write(commandReplyFrame(connection.subscription.applyFilterCommand(command)));
    } else if (lower.startsWith('api ')) {
      this.answerApi(connection, command.slice(4));
    } else if (lower.startsWith('bgapi ')) {
      this.answerBgapi(connection, command.slice(6), headers);
    } else if (lower.startsWith('sendevent ')) {
      // Fired, never refused (esl-sendevent-NOTIFY-Yealink-xml.txt): tests read `commands` to see what was sent.
      socket.write(commandReplyFrame(`+OK ${randomUUID()}`));
    } else if (lower.startsWith('noevents')) {
      socket.write(commandReplyFrame(connection.subscription.applyNoEvents()));
    } else if (lower.startsWith('event')) {
      socket.write(commandReplyFrame(connection.subscription.applyEventCommand(command)));
    } else {
      socket.write(commandReplyFrame('-ERR command not found'));
    }
  }

  private answerApi(connection: FakeConnection, api: string): void {
    const reply = this.apiReply(api);
    if ('hang' in reply) {
      connection.stalled = true;
      return;
    }
    connection.socket.write('fixture' in reply ? readEslFixture(reply.fixture) : apiResponseFrame(reply.body));
  }

  private answerBgapi(connection: FakeConnection, api: string, headers: ReceivedCommand['headers']): void {
    const jobUuid = headers.find((h) => h.name.toLowerCase() === 'job-uuid')?.value ?? randomUUID();
    const reply = this.apiReply(api);
    const fire = () => {
      if ('hang' in reply) return;
      const body = 'fixture' in reply ? eslFixtureBody(reply.fixture) : reply.body;
      const [name = '', ...args] = api.split(' ');
      const jobHeaders: Array<readonly [string, string]> = JOB_TEMPLATE.map((h) => [h.name, h.value] as const);
      this.stamp(jobHeaders);
      jobHeaders.push(['Job-UUID', jobUuid], ['Job-Command', name]);
      if (args.length) jobHeaders.push(['Job-Command-Arg', args.join(' ')]);
      this.pushEvent({ headers: jobHeaders, body: body.length ? body : 'Command returned no output!' });
    };
    if (this.jobEventBeforeReply) fire();
    connection.socket.write(bgapiReplyFrame(jobUuid));
    if (!this.jobEventBeforeReply) setImmediate(fire);
  }

  private apiReply(api: string): ApiReply {
    const override = this.apiOverrides.get(api);
    if (override) return override;
    const fixture = this.apiFixtures.get(api);
    if (fixture) return { fixture };
    const name = api.split(' ')[0] ?? '';
    if (!knownApiNames().has(name)) return { body: commandNotFoundBody(name) };
    this.unmatchedApis.push(api);
    return { body: `-ERR fake-esl-server has no captured reply for: ${api}\n` };
  }

  private stamp(headers: Array<readonly [string, string]>): void {
    const index = headers.findIndex(([name]) => name === 'Event-Sequence');
    if (index >= 0) headers[index] = ['Event-Sequence', String(++this.eventSequence)];
  }
}

/** Body text of an api/response fixture, for comparing with what the client returned. */
export function fixtureBodyText(file: string): string {
  return bodyText(eslFixtureFrames(file)[0]!);
}
