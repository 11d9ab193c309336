// vm_list / vm_delete / hash / sendevent NOTIFY: commands equal what the phone-apps captures were taken with, the
// parsers read those real bodies, and the client sends sendevent's body the way mod_event_socket reads it.

import { expect } from 'chai';
import {
  EslApiError,
  EslArgumentError,
  EslCommandRefusedError,
  EslFreeswitchControl,
  hashInsert,
  hashInsertCommand,
  hashSelect,
  hashSelectCommand,
  notifyPhone,
  parseMessageGet,
  parseVoicemailList,
  RecordingFreeswitchControl,
  voicemailDelete,
  voicemailDeleteCommand,
  voicemailList,
  voicemailListCommand,
} from '../../src/freeswitch/event-socket/index';
import { eslFixtureBody, eslFixtureFrames, eslFixtureTable } from '../fakes/esl-fixtures';
import { FakeEslServer } from '../fakes/fake-esl-server';

const BOX = { user: '101', domain: 'demo.dialtone.test' };
const ALICE = 'dfb745ff-c712-4ff5-a33c-37c31f69ac76';
const HOSTILE = '720008e0-1c91-40c0-a482-773761205e50';
const DEPOSIT = 'f681c17b-5886-4fb3-b9c8-57b8a03bd3a1';

function capturedCommand(file: string): string {
  const row = eslFixtureTable().find((r) => r.file === file);
  if (!row?.command?.startsWith('api ')) throw new Error(`no api command recorded for ${file}`);
  return row.command.slice(4);
}

describe('vm_list, vm_delete, hash and NOTIFY commands', () => {
  it('build exactly the captured command texts', () => {
    expect(voicemailListCommand(BOX)).to.equal(capturedCommand('esl-api-vm_list-hostile-name.txt'));
    expect(voicemailDeleteCommand(BOX, HOSTILE)).to.equal(capturedCommand('esl-api-vm_delete-demo.txt'));
    expect(hashInsertCommand('demo-vm_play', '101', `101:${DEPOSIT}`)).to.equal(
      capturedCommand('esl-api-hash_insert-vm_play.txt'),
    );
    expect(hashSelectCommand('demo-vm_play', '101')).to.equal(capturedCommand('esl-api-hash_select-vm_play.txt'));
    expect(voicemailListCommand({ ...BOX, profile: 'default' })).to.equal('vm_list 101@demo.dialtone.test/default');
  });

  it('refuse arguments that could add a command or an argument', () => {
    expect(() => voicemailListCommand({ user: '101 xml', domain: 'x.test' })).to.throw(EslArgumentError);
    expect(() => voicemailDeleteCommand(BOX, 'not-a-uuid')).to.throw(EslArgumentError);
    expect(() => hashInsertCommand('r', 'k', 'a/b')).to.throw(EslArgumentError);
    expect(() => hashInsertCommand('r', 'k', '${system(reboot)}')).to.throw(EslArgumentError);
    expect(() => hashSelectCommand('r', '')).to.throw(EslArgumentError);
  });

  describe('parseVoicemailList on real replies', () => {
    it('splits caller name and number, and reports a name with a colon as ambiguous', () => {
      const list = parseVoicemailList(eslFixtureBody('esl-api-vm_list-hostile-name.txt'), BOX);
      expect(list.entries.map((e) => e.uuid)).to.deep.equal([ALICE, HOSTILE]);
      expect(list.entries[0]).to.include({
        createdEpoch: 1796470088,
        readEpoch: 0,
        folder: 'inbox',
        callerName: 'Alice',
        callerNumber: '5551230001',
        durationSeconds: 4,
      });
      expect(list.entries[0]!.filePath).to.match(/\/voicemail\/default\/demo\.dialtone\.test\/101\/msg_dfb745ff-/);
      expect(list.ambiguous).to.deep.equal([HOSTILE]);
      expect(list.entries[1]).to.include({ callerName: null, callerNumber: null, durationSeconds: 4 });
      // vm_fsdb_msg_get (JSON) is what resolves it.
      const got = parseMessageGet(eslFixtureBody('esl-api-vm_fsdb_msg_get-hostile-name.txt'));
      expect(got).to.include({ callerName: `O'Hara:<x>&y]]>"z`, callerNumber: '5551230002' });
    });

    it("reads a sipp deposit whose uuid is the call's, not the file's", () => {
      const list = parseVoicemailList(eslFixtureBody('esl-api-vm_list-deposit.txt'), BOX);
      const deposit = list.entries.find((e) => e.uuid === DEPOSIT)!;
      expect(deposit.filePath).to.match(/msg_31aa8c49-d4d7-4ef5-89f9-1983562cce2e\.wav$/);
      expect(deposit).to.include({ callerName: 'Bob Hygienist', callerNumber: '102', durationSeconds: 3 });
      const read = parseVoicemailList(eslFixtureBody('esl-api-vm_list-deposit-after-read.txt'), BOX);
      expect(read.entries.find((e) => e.uuid === ALICE)!.readEpoch).to.be.greaterThan(0);
      const played = parseVoicemailList(eslFixtureBody('esl-api-vm_list-after-play.txt'), BOX);
      expect(played.entries.find((e) => e.uuid === DEPOSIT)!.readEpoch).to.be.greaterThan(0);
    });

    it('reads the first capture too, and an empty mailbox as no messages', () => {
      const acme = { user: '1000', domain: 'acme.pbx.test' };
      expect(parseVoicemailList(eslFixtureBody('esl-api-vm_list.txt'), acme).entries).to.have.length(2);
      expect(parseVoicemailList(eslFixtureBody('esl-api-vm_list-after-purge.txt'), acme).entries).to.have.length(1);
      expect(parseVoicemailList(eslFixtureBody('esl-api-vm_list-empty.txt'), acme)).to.deep.equal({
        entries: [],
        ambiguous: [],
      });
      expect(() => parseVoicemailList(eslFixtureBody('esl-api-vm_list-usage.txt'))).to.throw(EslApiError);
      // Records of another mailbox are dropped.
      expect(parseVoicemailList(eslFixtureBody('esl-api-vm_list.txt'), BOX).entries).to.deep.equal([]);
    });
  });

  describe('over the fake event socket', () => {
    let server: FakeEslServer;
    let fs: EslFreeswitchControl;

    beforeEach(async () => {
      server = await FakeEslServer.start();
      fs = new EslFreeswitchControl({ host: server.host, port: server.port, password: 'ClueCon', reconnect: false });
    });
    afterEach(async () => {
      await fs.close();
      await server.close();
    });

    it('lists, deletes and uses the hash from the captured replies', async () => {
      expect((await voicemailList(fs, BOX)).entries).to.have.length(3); // esl-api-vm_list-deposit.txt
      await voicemailDelete(fs, BOX, HOSTILE);
      await hashInsert(fs, 'demo-vm_play', '101', `101:${DEPOSIT}`);
      expect(await hashSelect(fs, 'demo-vm_play', '101')).to.equal(`101:${DEPOSIT}`);
      expect(await hashSelect(fs, 'demo-vm_play', '199')).to.equal(null);
      expect(server.unmatchedApis).to.deep.equal([]);
    });

    it('sends sendevent with its headers and a counted body, and reads +OK <uuid>', async () => {
      const body = '<?xml version="1.0"?>\n<YealinkIPPhoneStatus><Message>Zoë</Message></YealinkIPPhoneStatus>';
      await notifyPhone(fs, {
        user: '103',
        domain: 'demo.dialtone.test',
        event: 'Yealink-xml',
        contentType: 'application/xml',
        body,
      });
      const sent = server.commands.find((c) => c.command === 'sendevent NOTIFY')!;
      expect(sent.headers).to.deep.equal([
        { name: 'profile', value: 'internal' },
        { name: 'event-string', value: 'Yealink-xml' },
        { name: 'user', value: '103' },
        { name: 'host', value: 'demo.dialtone.test' },
        { name: 'content-type', value: 'application/xml' },
        { name: 'Content-Length', value: String(Buffer.byteLength(body)) },
      ]);
      expect(sent.body).to.equal(body);
      // The fake answers in the captured shape.
      const captured = eslFixtureFrames('esl-sendevent-NOTIFY-Yealink-xml.txt')[0]!;
      expect(captured.headers.find((h) => h.name === 'Reply-Text')!.value).to.match(/^\+OK [0-9a-f-]{36}$/);
      await fs.api('reloadxml'); // the connection is still in step after the body
    });

    it('refuses a header that could end the command early, and a Content-Length of our own', async () => {
      const bad = [{ name: 'user', value: '103\nhost: evil' }];
      let error: unknown;
      await fs.sendEvent('NOTIFY', bad, 'x').catch((e) => {
        error = e;
      });
      expect(error).to.be.instanceOf(EslCommandRefusedError);
      error = undefined;
      await fs.sendEvent('NOTIFY', [{ name: 'Content-Length', value: '5' }], 'x').catch((e) => {
        error = e;
      });
      expect(error).to.be.instanceOf(EslCommandRefusedError);
      expect(server.commands.some((c) => c.command.startsWith('sendevent'))).to.equal(false);
    });
  });

  it('RecordingFreeswitchControl records sendevent like the real client', async () => {
    const fs = new RecordingFreeswitchControl();
    const reply = await fs.sendEvent('NOTIFY', [{ name: 'user', value: '103' }], 'body');
    expect(reply).to.match(/^\+OK [0-9a-f-]{36}$/);
    expect(fs.calls).to.deep.equal([
      { kind: 'sendevent', command: 'NOTIFY', headers: [{ name: 'user', value: '103' }], body: 'body' },
    ]);
  });
});
