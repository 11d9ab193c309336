// FreeswitchControl end to end: typed commands over the real client and the fake socket, and the recording double.

import { expect } from 'chai';
import {
  agentStatus,
  EslApiError,
  EslCommandRefusedError,
  EslDisconnectedError,
  type EslEvent,
  EslFreeswitchControl,
  type FreeswitchControl,
  listRegistrations,
  makeEvent,
  originate,
  queueAgents,
  RecordingFreeswitchControl,
  reloadModule,
  setAgentStatus,
  sofiaContact,
  userExists,
  voicemailBoxCount,
  voicemailMarkRead,
  voicemailMessage,
  voicemailMessageAction,
  voicemailMessageCount,
  voicemailMessageList,
  voicemailPurge,
} from '../../src/freeswitch/event-socket/index';
import { FakeEslServer, waitFor } from '../fakes/fake-esl-server';

const MAILBOX = { user: '1000', domain: 'acme.pbx.test' };
const MESSAGE_1 = '1ddcd681-6ed6-4cf3-9914-a5dcf4f474b6';
const MESSAGE_2 = 'd7af557f-cc7b-48b9-899a-9063b378dce8';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('FreeswitchControl over the event socket', () => {
  let server: FakeEslServer;
  let fs: EslFreeswitchControl;

  beforeEach(async () => {
    server = await FakeEslServer.start();
    fs = new EslFreeswitchControl({
      host: server.host,
      port: server.port,
      password: 'ClueCon',
      reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
    });
  });

  afterEach(async () => {
    await fs.close();
    await server.close();
  });

  it('connects on the first call', async () => {
    expect(fs.client.state).to.equal('idle');
    await fs.reloadXml();
    expect(server.commandTexts()).to.deep.equal(['auth ClueCon', 'api reloadxml']);
  });

  it('round-trips every typed command through the captured replies', async () => {
    await fs.checkSync('1000', 'acme.pbx.test');
    expect(await sofiaContact(fs, '1000', 'acme.pbx.test')).to.deep.equal([
      'sofia/internal/sip:1000@127.0.0.1:25070;transport=UDP',
    ]);
    expect(await sofiaContact(fs, '1001', 'acme.pbx.test')).to.deep.equal([]);
    expect((await listRegistrations(fs)).map((r) => r.user)).to.deep.equal(['1000']);
    expect(await voicemailBoxCount(fs, MAILBOX)).to.deep.equal({ new: 2, saved: 0, newUrgent: 0, savedUrgent: 0 });
    expect(await voicemailMessageList(fs, MAILBOX, 'new')).to.deep.equal([MESSAGE_1, MESSAGE_2]);
    expect((await voicemailMessage(fs, MAILBOX, MESSAGE_1))?.callerName).to.equal('Alice');
    expect(await voicemailMessage(fs, MAILBOX, '00000000-0000-0000-0000-000000000000')).to.equal(null);
    expect((await voicemailMessageCount(fs, MAILBOX)).new).to.equal(2);
    await voicemailMessageAction(fs, MAILBOX, 'save', MESSAGE_1);
    await voicemailMessageAction(fs, MAILBOX, 'delete', MESSAGE_2);
    await voicemailPurge(fs, MAILBOX);
    await voicemailMarkRead(fs, MAILBOX, MESSAGE_1);
    expect(await agentStatus(fs, 'agent1@acme.pbx.test')).to.equal('Available');
    await setAgentStatus(fs, 'agent1@acme.pbx.test', 'Available');
    await setAgentStatus(fs, 'agent1@acme.pbx.test', 'On Break');
    expect((await queueAgents(fs, 'support@acme.pbx.test'))[0]?.status).to.equal('Available');
    expect(await userExists(fs, '1000', 'acme.pbx.test')).to.equal(true);
    expect(await userExists(fs, '1999', 'acme.pbx.test')).to.equal(false);
    await reloadModule(fs, 'mod_callcenter');
    expect(server.unmatchedApis).to.deep.equal([]);
    expect(server.commandTexts()).to.include("api callcenter_config agent set status agent1@acme.pbx.test 'On Break'");
  });

  it('turns FreeSWITCH refusals into EslApiError', async () => {
    const error = await rejection(setAgentStatus(fs, 'nobody@acme.pbx.test', 'Available'));
    expect(error).to.be.instanceOf(EslApiError);
    expect((error as EslApiError).body).to.equal('-ERR Agent not found!\n');
    server.setApiReply('sofia profile internal check_sync 1000@acme.pbx.test', { body: 'Invalid Profile!\n' });
    expect(await rejection(fs.checkSync('1000', 'acme.pbx.test'))).to.be.instanceOf(EslApiError);
  });

  it('originates through bgapi and reads the cause or the uuid', async () => {
    const busy = await originate(fs, { user: '1000', domain: 'acme.pbx.test', destination: { application: 'park' } });
    expect(busy).to.deep.equal({ ok: false, cause: 'USER_NOT_REGISTERED' });
    const answered = await originate(fs, {
      user: '1000',
      domain: 'acme.pbx.test',
      uuid: '0a0a0a0a-0000-4000-8000-000000001000',
      destination: { application: 'park' },
    });
    expect(answered).to.deep.equal({ ok: true, uuid: '0a0a0a0a-0000-4000-8000-000000001000' });
    expect(server.commandTexts().filter((c) => c.startsWith('bgapi originate'))).to.have.length(2);
  });

  it('delivers only the events a listener asked for, and keeps them after a reconnect', async () => {
    const agentEvents: EslEvent[] = [];
    const mwi: EslEvent[] = [];
    await fs.onEvent(['CUSTOM', 'callcenter::info'], (event) => {
      agentEvents.push(event);
    });
    await fs.onEvent(['MESSAGE_WAITING'], (event) => {
      mwi.push(event);
    });
    await waitFor(() => fs.client.state === 'ready', 'background connect');
    await waitFor(() => server.commandTexts().includes('event plain MESSAGE_WAITING CUSTOM callcenter::info'), 'sub');
    server.pushEvent('esl-event-plain-CUSTOM-callcenter_info.txt');
    server.pushEvent('esl-event-plain-MESSAGE_WAITING.txt');
    server.pushEvent('esl-event-plain-CUSTOM-sofia_register.txt');
    await waitFor(() => agentEvents.length === 1 && mwi.length === 1, 'one of each');

    server.dropConnections();
    await waitFor(() => server.connectionCount === 1 && fs.client.state === 'ready', 'reconnect');
    await waitFor(() => server.commandTexts().filter((c) => c.startsWith('event plain')).length >= 3, 'resubscribe');
    server.pushEvent('esl-event-plain-CUSTOM-callcenter_info.txt');
    await waitFor(() => agentEvents.length === 2, 'event after reconnect');
    expect(agentEvents[1]!.headers['CC-Agent']).to.equal('agent1@acme.pbx.test');
    expect(mwi).to.have.length(1);
  });

  it('fails fast while backing off after a drop instead of queueing', async () => {
    await fs.reloadXml();
    server.admission = 'close';
    server.dropConnections();
    await waitFor(() => fs.client.state === 'waiting-to-reconnect', 'back-off');
    expect(await rejection(fs.api('status'))).to.be.instanceOf(EslDisconnectedError);
    server.admission = 'accept';
    await waitFor(() => fs.client.state === 'ready', 'recovery');
    await fs.reloadXml();
  });
});

describe('RecordingFreeswitchControl', () => {
  async function useControl(fs: FreeswitchControl): Promise<void> {
    await fs.reloadXml();
    await fs.checkSync('1000', 'acme.pbx.test');
  }

  it('records commands and answers reloadXml/checkSync with +OK by default', async () => {
    const fs = new RecordingFreeswitchControl();
    await useControl(fs);
    expect(fs.calls).to.deep.equal([
      { kind: 'api', command: 'reloadxml' },
      { kind: 'api', command: 'sofia profile internal check_sync 1000@acme.pbx.test' },
    ]);
  });

  it('serves canned answers (exact text, RegExp, function, Error) to the typed commands', async () => {
    const fs = new RecordingFreeswitchControl()
      .answer(/^vm_boxcount /, '3:1:0:0')
      .answer('vm_boxcount 1001@acme.pbx.test|all', '0:0:0:0')
      .answer(/^callcenter_config agent get status /, (command) => (command.includes('agent1') ? 'On Break' : 'x'))
      .answer(/^originate /, '+OK 0a0a0a0a-0000-4000-8000-000000001000\n')
      .answer('reloadxml', new Error('switch on fire'));
    expect((await voicemailBoxCount(fs, MAILBOX)).new).to.equal(3);
    expect((await voicemailBoxCount(fs, { user: '1001', domain: 'acme.pbx.test' })).new).to.equal(0);
    expect(await agentStatus(fs, 'agent1@acme.pbx.test')).to.equal('On Break');
    const result = await originate(fs, { user: '1000', domain: 'acme.pbx.test', destination: { application: 'park' } });
    expect(result.ok).to.equal(true);
    expect(fs.calls.at(-1)?.kind).to.equal('bgapi');
    expect((await rejection(fs.reloadXml())).message).to.equal('switch on fire');
  });

  it('refuses the same injected commands as the real client', async () => {
    const fs = new RecordingFreeswitchControl();
    expect(await rejection(fs.api('status\n\napi reloadxml'))).to.be.instanceOf(EslCommandRefusedError);
    expect(fs.calls).to.deep.equal([]);
  });

  it('emits events to matching listeners and awaits them', async () => {
    const fs = new RecordingFreeswitchControl();
    const seen: string[] = [];
    const off = await fs.onEvent(['CUSTOM', 'callcenter::info'], async (event) => {
      seen.push(event.headers['CC-Agent-Status'] ?? '');
    });
    await fs.emit(
      makeEvent({ 'Event-Name': 'CUSTOM', 'Event-Subclass': 'callcenter::info', 'CC-Agent-Status': 'On Break' }),
    );
    await fs.emit(makeEvent({ 'Event-Name': 'CUSTOM', 'Event-Subclass': 'sofia::register' }));
    off();
    await fs.emit(makeEvent({ 'Event-Name': 'CUSTOM', 'Event-Subclass': 'callcenter::info' }));
    expect(seen).to.deep.equal(['On Break']);
    expect(fs.subscriptions).to.deep.equal([['CUSTOM', 'callcenter::info']]);
    await fs.close();
    expect(await rejection(fs.api('status'))).to.be.instanceOf(EslDisconnectedError);
  });
});
