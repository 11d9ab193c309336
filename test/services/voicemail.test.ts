// The voicemail service over the fake event socket answering with the real FreeSWITCH 1.10.12 replies captured on
// the demo PBX (test/fixtures/freeswitch/README.md), on both database engines: who sees which mailbox, folders,
// the hostile caller name, save / new / delete with the commands FreeSWITCH took, audio by range, play, outages.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { expect } from 'chai';
import { ForbiddenError, NotFoundError, UnavailableError } from '../../src/domain/errors';
import { localAudioFileSource } from '../../src/freeswitch/audio-file-source';
import { EslFreeswitchControl } from '../../src/freeswitch/event-socket';
import { type Actor, SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { parseRange } from '../../src/services/http-range';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import type { PbxView as Pbx } from '../../src/services/pbx-service';
import { type DeviceViewer, isMessagePath, VoicemailService } from '../../src/services/voicemail';
import { FakeEslServer, fixtureBodyText } from '../fakes/fake-esl-server';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';
import { rejection } from './support';

const ALICE = 'dfb745ff-c712-4ff5-a33c-37c31f69ac76';
const HOSTILE = '720008e0-1c91-40c0-a482-773761205e50';
const DEPOSIT = 'f681c17b-5886-4fb3-b9c8-57b8a03bd3a1';
const LIST_101 = 'vm_list 101@demo.dialtone.test';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

forEachEngine('voicemail service', (engine) => {
  let w: TestWorld;
  let pbx: Pbx;
  let other: Pbx;
  let server: FakeEslServer;
  let fs: EslFreeswitchControl;
  let vm: VoicemailService;
  let ext: Record<string, number>;
  let box: Record<string, number>;
  let storage: string;

  const device = (...numbers: string[]): DeviceViewer => ({
    kind: 'device',
    pbxId: pbx.id,
    deviceId: 1,
    extensionIds: numbers.map((n) => ext[n]!),
  });
  const employee = (n: string, permissions = ['voicemail']): Actor => ({
    kind: 'user',
    userId: 9,
    pbxId: pbx.id,
    type: 'employee',
    extensionId: ext[n]!,
    permissions,
  });

  before(async () => {
    w = await openWorld(engine);
    pbx = (await seedDemo(w.services, 'demo')).pbx;
    other = (await seedDemo(w.services, 'other')).pbx;
    const snap = await w.services.snapshot(pbx.id);
    ext = Object.fromEntries(snap.extensions.map((e) => [e.number, e.id as number]));
    box = Object.fromEntries(snap.mailboxes.map((m) => [m.number, m.id as number]));
    storage = mkdtempSync(join(tmpdir(), 'dialtone-vm-store-'));
  });
  after(async () => {
    await w?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  beforeEach(async () => {
    server = await FakeEslServer.start();
    fs = new EslFreeswitchControl({ host: server.host, port: server.port, password: 'ClueCon', reconnect: false });
    vm = new VoicemailService({ snapshots: new LiveSnapshots(w.orm), freeswitch: fs, audio: localAudioFileSource() });
    for (const id of ['102', '103', 'vm_100'])
      server.setApiReply(`vm_list ${id}@demo.dialtone.test`, { fixture: 'esl-api-vm_list-empty.txt' });
  });
  afterEach(async () => {
    await fs.close();
    await server.close();
  });

  describe('who sees which mailbox', () => {
    it('a phone sees its lines mailboxes with FreeSWITCH counts, an admin every mailbox', async () => {
      expect(await vm.mailboxes(device('101'), pbx.id)).to.deep.equal([
        { id: box['101'], number: '101', name: 'Alice Reception', newCount: 3, savedCount: 0 },
      ]);
      expect((await vm.mailboxes(device('102', '101'), pbx.id)).map((b) => b.number)).to.deep.equal(['102', '101']);
      const admin: Actor = {
        kind: 'user',
        userId: 1,
        pbxId: pbx.id,
        type: 'admin',
        extensionId: null,
        permissions: ['voicemail'],
      };
      expect((await vm.mailboxes(admin, pbx.id)).map((b) => b.number)).to.deep.equal(['100', '101', '102', '103']);
    });

    it("the unread badge counts the viewer's own mailboxes only, an administrator's too", async () => {
      const admin = (extensionId: number | null): Actor => ({
        kind: 'user',
        userId: 1,
        pbxId: pbx.id,
        type: 'admin',
        extensionId,
        permissions: ['voicemail'],
      });
      expect(await vm.unreadCount(admin(ext['101']!), pbx.id)).to.equal(3);
      expect(await vm.unreadCount(employee('101'), pbx.id)).to.equal(3);
      expect(await vm.unreadCount(device('102', '101'), pbx.id)).to.equal(3);
      const before = server.commandTexts().length;
      // No extension of their own: nothing to count, and FreeSWITCH is not asked about anyone else's mailbox.
      expect(await vm.unreadCount(admin(null), pbx.id)).to.equal(0);
      expect(await vm.unreadCount(SYSTEM, pbx.id)).to.equal(0);
      expect(server.commandTexts().length).to.equal(before);
    });

    it('Home glances at every mailbox of a small PBX, at only their own in a big one', async () => {
      const admin: Actor = {
        kind: 'user',
        userId: 1,
        pbxId: pbx.id,
        type: 'admin',
        extensionId: ext['102']!,
        permissions: ['voicemail'],
      };
      expect((await vm.glance(admin, pbx.id)).map((b) => b.number)).to.deep.equal(['100', '101', '102', '103']);
      expect((await vm.glance(admin, pbx.id, 3)).map((b) => b.number)).to.deep.equal(['102']);
      expect((await vm.glance(employee('101'), pbx.id, 0)).map((b) => b.number)).to.deep.equal(['101']);
    });

    it("answers another employee's mailbox and another tenant exactly like a missing one", async () => {
      expect((await vm.mailboxes(employee('102'), pbx.id)).map((b) => b.number)).to.deep.equal(['102']);
      expect(await rejection(vm.messages(employee('102'), pbx.id, box['101']!))).to.be.instanceOf(NotFoundError);
      expect(await rejection(vm.messages(device('102'), pbx.id, box['101']!))).to.be.instanceOf(NotFoundError);
      expect(await rejection(vm.messages(employee('101'), other.id, box['101']!))).to.be.instanceOf(NotFoundError);
      expect(await rejection(vm.messages(employee('101'), pbx.id, 999_999))).to.be.instanceOf(NotFoundError);
      expect(await rejection(vm.mailboxes(employee('101', ['activity']), pbx.id))).to.be.instanceOf(ForbiddenError);
      expect(server.commandTexts().filter((c) => c.includes('vm_list 101'))).to.have.length(0);
    });
  });

  describe('messages', () => {
    it('lists newest first, with PBX-time dates, call-back numbers and the hostile name read from JSON', async () => {
      const list = await vm.messages(device('101'), pbx.id, box['101']!);
      expect(list.map((m) => m.id)).to.deep.equal([DEPOSIT, HOSTILE, ALICE]);
      const [deposit, hostile] = list;
      expect(deposit).to.deep.include({
        folder: 'new',
        callerName: 'Bob Hygienist',
        callerNumber: '102',
        callBack: '102',
      });
      expect(deposit!.durationSeconds).to.equal(3);
      // 1796470116 is 2026-12-05 11:28:36 UTC; the demo PBX is in America/New_York.
      expect(deposit!.receivedLocal).to.deep.equal({ date: '2026-12-05', time: '06:28', weekday: 'Sat' });
      expect(hostile).to.deep.include({ callerName: `O'Hara:<x>&y]]>"z`, callerNumber: '5551230002' });
      expect(server.commandTexts()).to.include(`api vm_fsdb_msg_get json default demo.dialtone.test 101 ${HOSTILE}`);
      expect(await vm.messages(device('101'), pbx.id, box['101']!, 'saved')).to.deep.equal([]);
      const page = await vm.page(device('101'), pbx.id, box['101']!, 'new', 1, 1);
      expect(page.total).to.equal(3);
      expect(page.messages.map((m) => m.id)).to.deep.equal([HOSTILE]);
    });

    it('keeps one list per mailbox for a moment: many reads, one vm_list', async () => {
      await Promise.all(Array.from({ length: 20 }, () => vm.messages(device('101'), pbx.id, box['101']!)));
      expect(server.commandTexts().filter((c) => c === `api ${LIST_101}`)).to.have.length(1);
    });

    it('marks saved with vm_read (which moves the MWI lamp) and shows the new state at once', async () => {
      await vm.messages(device('101'), pbx.id, box['101']!);
      server.setApiReply(`vm_read 101@demo.dialtone.test read ${ALICE}`, { fixture: 'esl-api-vm_read.txt' });
      await vm.markSaved(device('101'), pbx.id, box['101']!, ALICE);
      server.setApiReply(LIST_101, { fixture: 'esl-api-vm_list-deposit-after-read.txt' });
      const saved = await vm.messages(device('101'), pbx.id, box['101']!, 'saved');
      expect(saved.map((m) => m.id)).to.deep.equal([ALICE]);
      expect(saved[0]!.heardAt).to.be.instanceOf(Date);
      server.setApiReply(`vm_read 101@demo.dialtone.test unread ${ALICE}`, { fixture: 'esl-api-vm_read.txt' });
      await vm.markNew(device('101'), pbx.id, box['101']!, ALICE);
      expect(server.commandTexts()).to.include(`api vm_read 101@demo.dialtone.test unread ${ALICE}`);
    });

    it('deletes with vm_delete (row, file and lamp), and a message not in the mailbox is not found', async () => {
      await vm.delete(device('101'), pbx.id, box['101']!, HOSTILE);
      expect(server.commandTexts()).to.include(`api vm_delete 101@demo.dialtone.test ${HOSTILE}`);
      server.setApiReply(LIST_101, { fixture: 'esl-api-vm_list-after-vm_delete.txt' });
      expect((await vm.messages(device('101'), pbx.id, box['101']!)).map((m) => m.id)).to.not.include(HOSTILE);
      // vm_delete would answer +OK for anything: the service checks the list first.
      expect(await rejection(vm.delete(device('101'), pbx.id, box['101']!, HOSTILE))).to.be.instanceOf(NotFoundError);
      expect(await rejection(vm.delete(device('101'), pbx.id, box['101']!, '../../etc'))).to.be.instanceOf(
        NotFoundError,
      );
      expect(server.commandTexts().filter((c) => c.startsWith('api vm_delete'))).to.have.length(1);
    });

    it('drops its copy when FreeSWITCH reports the mailbox changed (MESSAGE_WAITING)', async () => {
      expect(await vm.messages(device('101'), pbx.id, box['101']!)).to.have.length(3);
      server.setApiReply(LIST_101, { fixture: 'esl-api-vm_list-after-vm_delete.txt' });
      expect(await vm.messages(device('101'), pbx.id, box['101']!)).to.have.length(3);
      vm.messageWaiting('101@DEMO.dialtone.test');
      expect(await vm.messages(device('101'), pbx.id, box['101']!)).to.have.length(2);
    });

    it('says "unavailable" when FreeSWITCH does not answer, never a raw socket error', async () => {
      await server.close();
      expect(await rejection(vm.mailboxes(device('101'), pbx.id))).to.be.instanceOf(UnavailableError);
    });

    it('logs an outage once a minute, not once per query (a page can ask about many mailboxes)', async () => {
      await server.close();
      const lines: Array<[string, Record<string, unknown> | undefined]> = [];
      let clock = 1_000_000;
      const quiet = new VoicemailService({
        snapshots: new LiveSnapshots(w.orm),
        freeswitch: fs,
        audio: localAudioFileSource(),
        log: (level, msg, fields) => lines.push([`${level} ${msg}`, fields as Record<string, unknown> | undefined]),
        now: () => clock,
      });
      for (let i = 0; i < 5; i++) await rejection(quiet.mailboxes(SYSTEM, pbx.id));
      expect(lines.map(([l]) => l)).to.deep.equal(['warn voicemail: FreeSWITCH did not answer']);
      clock += 60_000;
      await rejection(quiet.mailboxes(device('101'), pbx.id));
      expect(lines).to.have.length(2);
      expect(lines[1]![1]).to.include({ unansweredSinceLastWarning: 19 });
    });
  });

  describe('audio and play', () => {
    it('streams the WAV by range from its own mailbox folder only', async () => {
      const dir = join(storage, 'voicemail', 'default', 'demo.dialtone.test', '101');
      mkdirSync(dir, { recursive: true });
      const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
      writeFileSync(join(dir, 'msg_31aa8c49-d4d7-4ef5-89f9-1983562cce2e.wav'), bytes);
      const body = fixtureBodyText('esl-api-vm_list-deposit.txt').replaceAll('/tmp/pa-fs/run/storage', storage);
      server.setApiReply(LIST_101, { body });
      const audio = await vm.openAudio(device('101'), pbx.id, box['101']!, DEPOSIT);
      expect(audio).to.include({ size: 5000, contentType: 'audio/wav', fileName: 'voicemail-101-2026-12-05-0628.wav' });
      const range = parseRange('bytes=100-199', audio.size);
      if (range.kind !== 'partial') expect.fail('expected a partial range');
      expect((await collect(audio.stream(range.start, range.end))).equals(bytes.subarray(100, 200))).to.equal(true);
      // The file of the injected message is not there: not found, not a 500.
      expect(await rejection(vm.openAudio(device('101'), pbx.id, box['101']!, ALICE))).to.be.instanceOf(NotFoundError);
      // A list naming a path outside the mailbox's folder is never opened.
      vm.messageWaiting('101@demo.dialtone.test');
      server.setApiReply(LIST_101, {
        body: body.replaceAll(`${storage}/voicemail/default/demo.dialtone.test/101/`, '/etc/'),
      });
      expect(await rejection(vm.openAudio(device('101'), pbx.id, box['101']!, DEPOSIT))).to.be.instanceOf(
        NotFoundError,
      );
    });

    it('isMessagePath accepts only msg_*.wav right in the mailbox folder', () => {
      const b = { user: '101', domain: 'demo.dialtone.test' };
      expect(
        isMessagePath('/var/lib/freeswitch/storage/voicemail/default/demo.dialtone.test/101/msg_x.wav', b),
      ).to.equal(true);
      for (const bad of [
        '/var/lib/freeswitch/storage/voicemail/default/demo.dialtone.test/102/msg_x.wav',
        '/var/lib/freeswitch/storage/voicemail/default/demo.dialtone.test/101/../102/msg_x.wav',
        '/var/lib/freeswitch/storage/voicemail/default/demoXdialtone.test/101/msg_x.wav',
        '/var/lib/freeswitch/storage/voicemail/default/demo.dialtone.test/101/greeting_1.wav',
        '/etc/passwd',
      ])
        expect(isMessagePath(bad, b), bad).to.equal(false);
    });

    it('chooses the message for the play code under the calling extension, as captured', async () => {
      const code = await vm.preparePlay(device('101'), pbx.id, box['101']!, DEPOSIT, ext['101']!);
      expect(code).to.equal('*98*');
      expect(server.commandTexts()).to.include(`api hash insert/demo-vm_play/101/101:${DEPOSIT}`);
      // Another phone's extension is not ours to ring.
      expect(
        await rejection(vm.preparePlay(device('101'), pbx.id, box['101']!, DEPOSIT, ext['102']!)),
      ).to.be.instanceOf(NotFoundError);
      expect(await vm.playCode(device('101'), pbx.id)).to.equal('*98*');
    });
  });
});
