// The fake event socket is only useful if it says exactly what FreeSWITCH said: its bytes vs the captures.

import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { isEventFrame, parseEventFrame } from '../../src/freeswitch/event-socket/event';
import { encodeFrame } from '../../src/freeswitch/event-socket/frame';
import { EslFrameParser } from '../../src/freeswitch/event-socket/frame-parser';
import { eventFrame, serializeJsonEventBody, serializePlainEventBody } from '../fakes/esl-event-serializer';
import { defaultApiFixtures, eslFixtureFrames, listEslFixtures, readEslFixture } from '../fakes/esl-fixtures';
import {
  apiResponseFrame,
  authRequestFrame,
  bgapiReplyFrame,
  CommandReader,
  commandNotFoundBody,
  commandReplyFrame,
  disconnectNoticeFrame,
  Subscription,
} from '../fakes/fake-esl-protocol';
import { FakeEslServer, waitFor } from '../fakes/fake-esl-server';

/** A bare TCP client that records every byte, so the fake is judged without our own ESL client in between. */
class RawClient {
  private bytes = Buffer.alloc(0);
  private consumed = 0;
  closed = false;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytes = Buffer.concat([this.bytes, chunk]);
    });
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Waits until `count` more complete frames arrived and returns exactly their bytes. */
  async frames(count: number): Promise<Buffer> {
    let end = this.consumed;
    await waitFor(() => {
      const parser = new EslFrameParser();
      const frames = parser.push(this.bytes.subarray(this.consumed));
      if (frames.length < count) return false;
      end = this.consumed + frames.slice(0, count).reduce((n, f) => n + encodeFrame(f.headers, f.body).length, 0);
      return true;
    }, `${count} frame(s)`);
    const out = this.bytes.subarray(this.consumed, end);
    this.consumed = end;
    return Buffer.from(out);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('fake ESL server fidelity', () => {
  describe('reply bytes built by the fake equal the captures', () => {
    const cases: Array<[string, Buffer]> = [
      ['esl-greeting.txt', authRequestFrame()],
      ['esl-auth-ok.txt', commandReplyFrame('+OK accepted')],
      ['esl-auth-fail.txt', Buffer.concat([commandReplyFrame('-ERR invalid'), disconnectNoticeFrame()])],
      ['esl-exit.txt', Buffer.concat([commandReplyFrame('+OK bye'), disconnectNoticeFrame()])],
      ['esl-unknown-command.txt', commandReplyFrame('-ERR command not found')],
      ['esl-api-unknown-command.txt', apiResponseFrame(commandNotFoundBody('foobar'))],
      ['esl-api-vm_list-empty.txt', apiResponseFrame('')],
      ['esl-bgapi-status-reply.txt', bgapiReplyFrame('f87416f5-7452-46f9-92b1-b7008722350a')],
      ['esl-noevents.txt', commandReplyFrame('+OK no longer listening for events')],
    ];
    for (const [file, built] of cases) {
      it(file, () => expect(built.toString('latin1')).to.equal(readEslFixture(file).toString('latin1')));
    }
  });

  it('answers event/filter commands with the captured Reply-Text', () => {
    const table: Array<[string, string]> = [
      ['event plain ALL', 'esl-event-plain-ALL-subscribe.txt'],
      ['event json ALL', 'esl-event-json-ALL-subscribe.txt'],
      ['event xml HEARTBEAT', 'esl-event-xml-subscribe.txt'],
      ['event plain BACKGROUND_JOB', 'esl-event-plain-BACKGROUND_JOB-subscribe.txt'],
      [
        'event plain CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE MESSAGE_WAITING PRESENCE_IN CUSTOM sofia::register callcenter::info',
        'esl-event-plain-list-subscribe.txt',
      ],
    ];
    for (const [command, file] of table) {
      const reply = new Subscription().applyEventCommand(command);
      expect(commandReplyFrame(reply).equals(readEslFixture(file)), command).to.equal(true);
    }
    const subscription = new Subscription();
    const added = subscription.applyFilterCommand('filter Event-Name CHANNEL_ANSWER');
    expect(commandReplyFrame(added).equals(readEslFixture('esl-filter.txt'))).to.equal(true);
    const deleted = subscription.applyFilterCommand('filter delete Event-Name CHANNEL_ANSWER');
    expect(commandReplyFrame(deleted).equals(readEslFixture('esl-filter-delete.txt'))).to.equal(true);
    expect(new Subscription().applyEventCommand('event plain NOT_AN_EVENT')).to.equal('-ERR no keywords supplied');
  });

  it("re-serializes every captured plain event byte-for-byte (FreeSWITCH's URL encoding)", () => {
    let checked = 0;
    for (const file of listEslFixtures()) {
      for (const frame of eslFixtureFrames(file)) {
        if (!isEventFrame(frame) || (!file.includes('plain') && !file.includes('BACKGROUND_JOB'))) continue;
        const event = parseEventFrame(frame);
        const pairs = event.headerList
          .filter((h) => !(event.body !== undefined && h.name === 'Content-Length'))
          .map((h) => [h.name, h.value] as const);
        const rebuilt = eventFrame('plain', serializePlainEventBody(pairs, event.body));
        const original = encodeFrame(frame.headers, frame.body);
        if (!rebuilt.equals(original)) expect.fail(`${file}: ${event.name} re-serialized differently`);
        checked++;
      }
    }
    expect(checked).to.equal(107 + 17 + 2); // the shared captures, then Dialtone's own (phone apps; vm::maintenance)
  });

  it('serializes json like the captured text/event-json (arrays, same members)', () => {
    const plain = parseEventFrame(eslFixtureFrames('esl-event-plain-CHANNEL_ANSWER.txt')[0]!);
    const json = eslFixtureFrames('esl-event-json-CHANNEL_ANSWER.txt')[0]!;
    const built = serializeJsonEventBody(plain.headerList.map((h) => [h.name, h.value] as const));
    expect(JSON.parse(built)).to.deep.equal(JSON.parse(json.body.toString('utf8')));
  });

  it('reads commands the way read_packet does', () => {
    const reader = new CommandReader();
    expect(reader.push(Buffer.from('\r\n\napi sta'))).to.deep.equal([]);
    const out = reader.push(Buffer.from('tus\n\nbgapi status\nJob-UUID: abc\n\r\nexit\n\n'));
    expect(out).to.deep.equal([
      { command: 'api status', headers: [] },
      { command: 'bgapi status', headers: [{ name: 'Job-UUID', value: 'abc' }] },
      { command: 'exit', headers: [] },
    ]);
  });

  describe('over TCP', () => {
    let server: FakeEslServer;
    let client: RawClient | undefined;

    beforeEach(async () => {
      server = await FakeEslServer.start();
    });
    afterEach(async () => {
      client?.destroy();
      client = undefined;
      await server.close();
    });

    it('greets, authenticates and replays every captured api reply byte-for-byte', async () => {
      client = await RawClient.open(server.port);
      expect((await client.frames(1)).equals(readEslFixture('esl-greeting.txt'))).to.equal(true);
      client.send('auth ClueCon\n\n');
      expect((await client.frames(1)).equals(readEslFixture('esl-auth-ok.txt'))).to.equal(true);
      const table = defaultApiFixtures();
      expect(table.size).to.equal(94); // 79 from the first capture, 15 from the phone-apps one
      for (const [command, file] of table) {
        client.send(`api ${command}\n\n`);
        const got = await client.frames(1);
        if (!got.equals(readEslFixture(file))) expect.fail(`api ${command}: bytes differ from ${file}`);
      }
      client.send('api foobar\n\n');
      expect((await client.frames(1)).equals(readEslFixture('esl-api-unknown-command.txt'))).to.equal(true);
      client.send('foobar\n\n');
      expect((await client.frames(1)).equals(readEslFixture('esl-unknown-command.txt'))).to.equal(true);
      client.send('exit\n\n');
      expect((await client.frames(2)).equals(readEslFixture('esl-exit.txt'))).to.equal(true);
      await waitFor(() => client!.closed, 'close after exit');
      expect(server.unmatchedApis).to.deep.equal([]);
    });

    it('sends the captured failure bytes for a wrong password, then hangs up', async () => {
      client = await RawClient.open(server.port);
      await client.frames(1);
      client.send('auth WrongPassword\n\n');
      expect((await client.frames(2)).equals(readEslFixture('esl-auth-fail.txt'))).to.equal(true);
      await waitFor(() => client!.closed, 'close after failed auth');
    });

    it('refuses commands before auth', async () => {
      client = await RawClient.open(server.port);
      await client.frames(1);
      client.send('api status\n\n');
      expect((await client.frames(1)).equals(readEslFixture('esl-unknown-command.txt'))).to.equal(true);
    });

    it('delivers pushed events by subscription: captured bytes verbatim for plain, converted for json', async () => {
      client = await RawClient.open(server.port);
      await client.frames(1);
      client.send('auth ClueCon\n\nevent plain CUSTOM sofia::register\n\n');
      await client.frames(2);
      expect(server.pushEvent('esl-event-plain-CUSTOM-callcenter_info.txt')).to.equal(0);
      expect(server.pushEvent('esl-event-plain-HEARTBEAT.txt')).to.equal(0);
      expect(server.pushEvent('esl-event-plain-CUSTOM-sofia_register.txt')).to.equal(1);
      const plain = await client.frames(1);
      expect(plain.equals(readEslFixture('esl-event-plain-CUSTOM-sofia_register.txt'))).to.equal(true);

      client.send('event json CHANNEL_ANSWER\n\n');
      await client.frames(1);
      expect(server.pushEvent('esl-event-plain-CHANNEL_ANSWER.txt')).to.equal(1);
      const converted = new EslFrameParser().push(await client.frames(1))[0]!;
      const original = new EslFrameParser().push(readEslFixture('esl-event-json-CHANNEL_ANSWER.txt'))[0]!;
      expect(JSON.parse(converted.body.toString())).to.deep.equal(JSON.parse(original.body.toString()));
    });

    it('generates bgapi replies and BACKGROUND_JOB events in the captured shape', async () => {
      client = await RawClient.open(server.port);
      await client.frames(1);
      client.send('auth ClueCon\n\nevent plain BACKGROUND_JOB\n\n');
      await client.frames(2);
      client.send('bgapi reloadxml\nJob-UUID: 11111111-2222-4333-8444-555555555555\n\n');
      const reply = await client.frames(1);
      expect(reply.equals(bgapiReplyFrame('11111111-2222-4333-8444-555555555555'))).to.equal(true);
      const job = parseEventFrame(new EslFrameParser().push(await client.frames(1))[0]!);
      expect(job.name).to.equal('BACKGROUND_JOB');
      expect(job.headers['Job-UUID']).to.equal('11111111-2222-4333-8444-555555555555');
      expect(job.headers['Job-Command']).to.equal('reloadxml');
      expect(job.body).to.equal('+OK [Success]\n');
    });
  });
});
