// EslClient against the fake FreeSWITCH event socket: auth, api, bgapi, events, reconnect, failures, injection.

import { expect } from 'chai';
import { EslClient, type EslClientOptions } from '../../src/freeswitch/event-socket/client';
import {
  EslAuthError,
  EslCommandRefusedError,
  EslConnectError,
  EslDisconnectedError,
  EslTimeoutError,
} from '../../src/freeswitch/event-socket/errors';
import type { EslEvent } from '../../src/freeswitch/event-socket/event';
import { FakeEslServer, fixtureBodyText, waitFor } from '../fakes/fake-esl-server';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('EslClient', () => {
  let server: FakeEslServer;
  const clients: EslClient[] = [];

  function client(options: Partial<EslClientOptions> = {}): EslClient {
    const created = new EslClient({
      host: server.host,
      port: server.port,
      password: 'ClueCon',
      reconnect: { initialDelayMs: 5, maxDelayMs: 40, jitter: 0 },
      ...options,
    });
    clients.push(created);
    return created;
  }

  beforeEach(async () => {
    server = await FakeEslServer.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  describe('connecting', () => {
    it('answers the auth/request greeting with the password', async () => {
      const esl = client();
      await esl.connect();
      expect(esl.state).to.equal('ready');
      expect(server.commandTexts()).to.deep.equal(['auth ClueCon']);
    });

    it('fails with EslAuthError on a wrong password and does not retry on its own', async () => {
      const esl = client({ password: 'WrongPassword' });
      const error = await rejection(esl.connect());
      expect(error).to.be.instanceOf(EslAuthError);
      expect((error as EslAuthError).replyText).to.equal('-ERR invalid');
      expect(error.message).not.to.include('WrongPassword');
      expect(esl.state).to.equal('idle');
    });

    it('fails with EslAuthError when the ACL turns us away (text/rude-rejection)', async () => {
      server.admission = 'acl';
      const error = await rejection(client().connect());
      expect(error).to.be.instanceOf(EslAuthError);
      expect(error.message).to.include('Access Denied');
    });

    it('fails with EslConnectError when nothing listens', async () => {
      const port = server.port;
      await server.close();
      server = await FakeEslServer.start();
      const error = await rejection(client({ port: port === server.port ? port + 1 : port }).connect());
      expect(error).to.be.instanceOf(EslConnectError);
    });

    it('rejects commands with EslDisconnectedError(not-connected) before connect()', async () => {
      const error = await rejection(client().api('status'));
      expect(error).to.be.instanceOf(EslDisconnectedError);
      expect((error as EslDisconnectedError).reason).to.equal('not-connected');
    });
  });

  describe('api', () => {
    it('returns the raw body, error bodies included', async () => {
      const esl = client();
      await esl.connect();
      expect(await esl.api('status')).to.equal(fixtureBodyText('esl-api-status.txt'));
      expect(await esl.api('sofia_contact 1001@acme.pbx.test')).to.equal('error/user_not_registered');
      expect(await esl.api('foobar')).to.equal('-ERR foobar Command not found!\n');
      expect(server.commandTexts().slice(1)).to.deep.equal([
        'api status',
        'api sofia_contact 1001@acme.pbx.test',
        'api foobar',
      ]);
    });

    it('matches pipelined replies to their commands in order', async () => {
      const esl = client();
      await esl.connect();
      const commands = [
        'reloadxml',
        'version',
        'user_exists id 1000 acme.pbx.test',
        'user_exists id 1999 acme.pbx.test',
        'vm_boxcount 1000@acme.pbx.test|all',
        'show registrations as json',
      ];
      const all = [...commands, ...commands, ...commands];
      const bodies = await Promise.all(all.map((c) => esl.api(c)));
      expect(bodies[0]).to.equal('+OK [Success]\n');
      expect(bodies[2]).to.equal('true');
      expect(bodies[3]).to.equal('false');
      expect(bodies[4]).to.equal('2:0:0:0');
      expect(bodies.slice(0, 6)).to.deep.equal(bodies.slice(6, 12));
      expect(bodies.slice(0, 6)).to.deep.equal(bodies.slice(12));
    });

    it('times out a command, discards its late reply, and keeps later replies matched', async () => {
      const esl = client({ commandTimeoutMs: 60 });
      await esl.connect();
      server.setApiReply('uuid_kill 0a0a0a0a-0000-4000-8000-000000001000', { hang: true });
      const error = await rejection(esl.api('uuid_kill 0a0a0a0a-0000-4000-8000-000000001000'));
      expect(error).to.be.instanceOf(EslTimeoutError);
      const next = esl.api('reloadxml', { timeoutMs: 5000 });
      server.releaseHung('+OK late\n');
      expect(await next).to.equal('+OK [Success]\n');
    });

    it('fails every pending command with EslDisconnectedError when the connection drops', async () => {
      const esl = client({ reconnect: false });
      await esl.connect();
      server.setApiReply('reloadxml', { hang: true });
      const outcomes = Promise.all([rejection(esl.api('reloadxml')), rejection(esl.api('status'))]);
      await waitFor(() => server.commandTexts().includes('api reloadxml'), 'command at the server');
      server.dropConnections();
      for (const error of await outcomes) {
        expect(error).to.be.instanceOf(EslDisconnectedError);
        expect((error as EslDisconnectedError).reason).to.equal('connection-lost');
      }
      expect(esl.state).to.equal('idle');
    });
  });

  describe('refusing injection', () => {
    const hostile = [
      'status\n\napi reloadxml',
      'status\napi reloadxml',
      'status\r\nexit',
      'status\u0000',
      'reload mod_event_socket',
      'sofia_contact reload@x mod_event_socket',
      '',
      '   ',
    ];
    for (const command of hostile) {
      it(`refuses ${JSON.stringify(command)} before anything is sent`, async () => {
        const esl = client();
        await esl.connect();
        const before = server.commands.length;
        expect(await rejection(esl.api(command))).to.be.instanceOf(EslCommandRefusedError);
        expect(await rejection(esl.bgapi(command))).to.be.instanceOf(EslCommandRefusedError);
        expect(await rejection(esl.sendCommand(command))).to.be.instanceOf(EslCommandRefusedError);
        expect(server.commands.length).to.equal(before);
      });
    }

    it('refuses event names that are not single words', async () => {
      const esl = client();
      await esl.connect();
      expect(await rejection(esl.subscribe(['CHANNEL_ANSWER\n\nexit']))).to.be.an('error');
      expect(await rejection(esl.subscribe(['CHANNEL ANSWER']))).to.be.an('error');
      expect(server.commandTexts()).to.deep.equal(['auth ClueCon']);
    });

    it('refuses a password that would inject a command', async () => {
      const error = await rejection(client({ password: 'ClueCon\n\napi reloadxml' }).connect());
      expect(error).to.be.instanceOf(EslCommandRefusedError);
      expect(server.commands).to.deep.equal([]);
    });
  });

  describe('bgapi', () => {
    it('subscribes to BACKGROUND_JOB once, sends its own Job-UUID, resolves with the job body', async () => {
      const esl = client();
      await esl.connect();
      const body = await esl.bgapi('reloadxml');
      expect(body).to.equal('+OK [Success]\n');
      expect(await esl.bgapi('originate user/1000@acme.pbx.test &park()')).to.equal('-ERR USER_NOT_REGISTERED\n');
      const sent = server.commands.slice(1);
      expect(sent.map((c) => c.command)).to.deep.equal([
        'event plain BACKGROUND_JOB',
        'bgapi reloadxml',
        'bgapi originate user/1000@acme.pbx.test &park()',
      ]);
      const jobUuid = sent[1]!.headers.find((h) => h.name === 'Job-UUID')?.value;
      expect(jobUuid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('still matches a job whose event arrives before its command/reply', async () => {
      server.jobEventBeforeReply = true;
      const esl = client();
      await esl.connect();
      expect(await esl.bgapi('version')).to.equal(fixtureBodyText('esl-api-version.txt'));
    });

    it('ignores other clients’ jobs and times out when its own never comes', async () => {
      const esl = client({ jobTimeoutMs: 60 });
      await esl.connect();
      server.setApiReply('status', { hang: true });
      const error = await rejection(esl.bgapi('status'));
      expect(error).to.be.instanceOf(EslTimeoutError);
    });

    it('fails a running job with EslDisconnectedError when the connection drops', async () => {
      const esl = client({ reconnect: false });
      await esl.connect();
      server.setApiReply('status', { hang: true });
      const job = esl.bgapi('status');
      await waitFor(() => server.commandTexts().includes('bgapi status'), 'bgapi at the server');
      server.dropConnections();
      expect(await rejection(job)).to.be.instanceOf(EslDisconnectedError);
    });
  });

  describe('events', () => {
    it('delivers plain CUSTOM events it subscribed to, and nothing else', async () => {
      const esl = client();
      await esl.connect();
      const events: EslEvent[] = [];
      esl.onEvent((event) => {
        events.push(event);
      });
      await esl.subscribe(['CUSTOM', 'sofia::register', 'callcenter::info']);
      expect(server.commandTexts().at(-1)).to.equal('event plain CUSTOM sofia::register callcenter::info');
      server.pushEvent('esl-event-plain-HEARTBEAT.txt');
      server.pushEvent('esl-event-plain-CUSTOM-sofia_register_attempt.txt');
      server.pushEvent('esl-event-plain-CUSTOM-sofia_register.txt');
      server.pushEvent('esl-event-plain-CUSTOM-callcenter_info.txt');
      await waitFor(() => events.length === 2, 'two events');
      expect(events.map((e) => e.subclass)).to.deep.equal(['sofia::register', 'callcenter::info']);
      expect(events[1]!.headers['CC-Agent-Status']).to.equal('Available');
    });

    it('delivers json events with the same headers as plain', async () => {
      const esl = client();
      await esl.connect();
      const events: EslEvent[] = [];
      esl.onEvent((event) => {
        events.push(event);
      });
      await esl.subscribe(['CHANNEL_ANSWER'], 'json');
      server.pushEvent('esl-event-json-CHANNEL_ANSWER.txt');
      await waitFor(() => events.length === 1, 'json event');
      expect(events[0]!.format).to.equal('json');
      expect(events[0]!.headers['Unique-ID']).to.equal('7966df81-42b0-4111-ba2a-f2d663b74887');
    });

    it('delivers the 107-event call stream in order', async () => {
      const esl = client();
      await esl.connect();
      const names: string[] = [];
      esl.onEvent((event) => {
        names.push(event.name);
      });
      await esl.subscribe(['ALL']);
      const delivered = server.pushEvent('esl-event-plain-stream-answered-call.txt');
      expect(delivered).to.equal(107);
      await waitFor(() => names.length === 107, '107 events');
      expect(names[0]).to.equal('CHANNEL_CREATE');
    });

    it('reports a failing async listener without starving the others', async () => {
      const failures: unknown[] = [];
      const esl = client({ onListenerError: (error) => failures.push(error) });
      await esl.connect();
      const seen: string[] = [];
      esl.onEvent(async () => {
        throw new Error('listener broke');
      });
      esl.onEvent(() => {
        throw new Error('sync listener broke');
      });
      const off = esl.onEvent((event) => {
        seen.push(event.name);
      });
      await esl.subscribe(['HEARTBEAT']);
      server.pushEvent('esl-event-plain-HEARTBEAT.txt');
      await waitFor(() => seen.length === 1 && failures.length === 2, 'listener outcomes');
      off();
      server.pushEvent('esl-event-plain-HEARTBEAT.txt');
      await waitFor(() => failures.length === 4, 'second round');
      expect(seen).to.have.length(1);
    });
  });
});
