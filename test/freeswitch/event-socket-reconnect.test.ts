// EslClient when the session drops (back-off, re-auth, re-subscribe, giving up, close()) and the back-off policy.

import { type AddressInfo, createServer, type Socket } from 'node:net';
import { expect } from 'chai';
import { backoffDelay, backoffPolicy } from '../../src/freeswitch/event-socket/backoff';
import { EslClient, type EslClientOptions, type EslStatus } from '../../src/freeswitch/event-socket/client';
import { EslConnectError, EslDisconnectedError } from '../../src/freeswitch/event-socket/errors';
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

describe('EslClient reconnecting', () => {
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

  it('re-authenticates and re-subscribes after the server drops the connection', async () => {
    const esl = client();
    const statuses: EslStatus[] = [];
    esl.onStatus((s) => statuses.push(s));
    await esl.connect();
    await esl.subscribe(['CUSTOM', 'sofia::register']);
    await esl.subscribe(['HEARTBEAT']);
    server.dropConnections();
    await waitFor(() => statuses.some((s) => s.type === 'connected' && s.reconnect), 'reconnect');
    const second = server.commands.filter((c) => c.connection === 2).map((c) => c.command);
    expect(second).to.deep.equal(['auth ClueCon', 'event plain HEARTBEAT CUSTOM sofia::register']);
    const events: EslEvent[] = [];
    esl.onEvent((e) => {
      events.push(e);
    });
    server.pushEvent('esl-event-plain-CUSTOM-sofia_register.txt');
    await waitFor(() => events.length === 1, 'event after reconnect');
    expect(await esl.api('reloadxml')).to.equal('+OK [Success]\n');
  });

  it('reconnects after a polite disconnect notice too', async () => {
    const esl = client();
    const statuses: EslStatus[] = [];
    esl.onStatus((s) => statuses.push(s));
    await esl.connect();
    server.disconnectAll();
    await waitFor(() => statuses.some((s) => s.type === 'connected' && s.reconnect), 'reconnect');
    const lost = statuses.find((s) => s.type === 'disconnected');
    expect(lost && 'error' in lost && lost.error.message).to.include('The system is being shut down.');
  });

  it('backs off exponentially up to the cap while the server refuses, then recovers', async () => {
    const esl = client({ reconnect: { initialDelayMs: 2, maxDelayMs: 16, factor: 2, jitter: 0.5 }, random: () => 0 });
    const statuses: EslStatus[] = [];
    esl.onStatus((s) => statuses.push(s));
    await esl.connect();
    server.admission = 'close';
    server.dropConnections();
    await waitFor(() => statuses.filter((s) => s.type === 'reconnect-failed').length >= 6, 'six failed attempts');
    server.admission = 'accept';
    await waitFor(() => esl.state === 'ready', 'recovery');
    const delays = statuses.flatMap((s) => (s.type === 'reconnect-scheduled' ? [s.delayMs] : []));
    expect(delays.slice(0, 6)).to.deep.equal([2, 4, 8, 16, 16, 16]);
    expect(await esl.api('version')).to.equal(fixtureBodyText('esl-api-version.txt'));
  });

  it('applies jitter within [base*(1-jitter), base]', async () => {
    const esl = client({ reconnect: { initialDelayMs: 8, maxDelayMs: 8, jitter: 0.5 }, random: () => 0.999 });
    const statuses: EslStatus[] = [];
    esl.onStatus((s) => statuses.push(s));
    await esl.connect();
    server.dropConnections();
    await waitFor(
      () => esl.state === 'ready' && statuses.some((s) => s.type === 'connected' && s.reconnect),
      'reconnect',
    );
    const scheduled = statuses.find((s) => s.type === 'reconnect-scheduled');
    expect(scheduled && 'delayMs' in scheduled && scheduled.delayMs).to.equal(4);
  });

  it('gives up after maxAttempts and can be connected again by hand', async () => {
    const esl = client({ reconnect: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } });
    const statuses: EslStatus[] = [];
    esl.onStatus((s) => statuses.push(s));
    await esl.connect();
    server.admission = 'close';
    server.dropConnections();
    await waitFor(() => statuses.some((s) => s.type === 'gave-up'), 'give up');
    expect(statuses.filter((s) => s.type === 'reconnect-failed')).to.have.length(3);
    expect(esl.state).to.equal('idle');
    server.admission = 'accept';
    await esl.connect();
    expect(esl.state).to.equal('ready');
  });

  it('does not reconnect after close()', async () => {
    const esl = client();
    await esl.connect();
    server.setApiReply('reloadxml', { hang: true });
    const pending = rejection(esl.api('reloadxml'));
    await waitFor(() => server.commandTexts().includes('api reloadxml'), 'command at the server');
    // FreeSWITCH runs the hung api inline, so it never reads our exit: close() must cut the socket itself.
    await esl.close();
    const error = await pending;
    expect(error).to.be.instanceOf(EslDisconnectedError);
    expect((error as EslDisconnectedError).reason).to.equal('closed');
    expect(esl.state).to.equal('closed');
    await waitFor(() => server.connectionCount === 0, 'server side closed');
    expect(server.acceptedCount).to.equal(1);
    expect(await rejection(esl.connect())).to.be.instanceOf(EslDisconnectedError);
    expect(await rejection(esl.api('status'))).to.be.instanceOf(EslDisconnectedError);
  });

  it('close() says exit and FreeSWITCH hangs up', async () => {
    const esl = client();
    await esl.connect();
    await esl.close();
    expect(server.commandTexts()).to.deep.equal(['auth ClueCon', 'exit']);
    await waitFor(() => server.connectionCount === 0, 'server side closed');
    await esl.close();
  });
});

describe('EslClient and a misbehaving server', () => {
  it('gives up connecting (EslConnectError) when the server accepts but never greets', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as AddressInfo;
    const esl = new EslClient({ host: '127.0.0.1', port, password: 'ClueCon', connectTimeoutMs: 50 });
    try {
      expect(await rejection(esl.connect())).to.be.instanceOf(EslConnectError);
      expect(esl.state).to.equal('idle');
    } finally {
      await esl.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('drops a session that sends bytes breaking the framing, fails its commands, and reconnects', async () => {
    const server = await FakeEslServer.start();
    const esl = new EslClient({
      host: server.host,
      port: server.port,
      password: 'ClueCon',
      reconnect: { initialDelayMs: 5, maxDelayMs: 5 },
    });
    const statuses: EslStatus[] = [];
    esl.onStatus((s) => statuses.push(s));
    try {
      await esl.connect();
      server.setApiReply('status', { hang: true });
      const pending = rejection(esl.api('status'));
      await waitFor(() => server.commandTexts().includes('api status'), 'command at the server');
      server.pushRaw(Buffer.from('this line has no colon\n\n'));
      const error = await pending;
      expect(error).to.be.instanceOf(EslDisconnectedError);
      expect(error.message).to.include('malformed ESL header line');
      await waitFor(() => statuses.some((s) => s.type === 'connected' && s.reconnect), 'reconnect');
      server.clearApiReply('status');
      expect(await esl.api('status')).to.equal(fixtureBodyText('esl-api-status.txt'));
    } finally {
      await esl.close();
      await server.close();
    }
  });
});

describe('back-off policy', () => {
  it('grows by the factor, stops at the cap, and jitters downwards only', () => {
    const policy = backoffPolicy({ initialDelayMs: 100, maxDelayMs: 1000, factor: 3, jitter: 0.2 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0))).to.deep.equal([100, 300, 900, 1000, 1000]);
    expect(backoffDelay(policy, 2, () => 0.5)).to.equal(270);
    for (let attempt = 1; attempt < 50; attempt++) {
      const delay = backoffDelay(policy, attempt);
      expect(delay).to.be.within(80, 1000);
    }
  });

  it('refuses nonsense settings', () => {
    expect(() => backoffPolicy({ initialDelayMs: 10, maxDelayMs: 5 })).to.throw(RangeError);
    expect(() => backoffPolicy({ factor: 0.5 })).to.throw(RangeError);
    expect(() => backoffPolicy({ jitter: 2 })).to.throw(RangeError);
    expect(() => backoffPolicy({ maxAttempts: 0 })).to.throw(RangeError);
  });
});
