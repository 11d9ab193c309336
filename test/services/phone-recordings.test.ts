// Greetings recorded by phone: the call record names what was recorded, Dialtone reads the file FreeSWITCH wrote,
// keeps it as an AudioFile and makes it the mailbox greeting or attendant announcement the generator then plays.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AudioFileSchema } from '../../src/domain/model';
import type { CallRecordInput } from '../../src/freeswitch/cdr/call-record';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { localRecordingSource } from '../../src/freeswitch/recording-source';
import type { Level } from '../../src/log';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { PHONE_RECORDING_MAX_BYTES, PhoneRecordings } from '../../src/services/phone-recordings';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

/** A minimal PCM WAV (8 kHz mono 16-bit) of `samples` samples with a fill byte, as FreeSWITCH's record writes. */
function wav(samples: number, fill = 0): Buffer {
  const data = Buffer.alloc(samples * 2, fill);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

forEachEngine('phone recordings', (engine) => {
  let w: TestWorld;
  let fsAudio: string;
  let dataDir: string;
  let pbx: { id: number; context: string; domain: string };
  let mailboxId: number;
  let attendantId: number;
  const logged: Array<[Level, string]> = [];
  let recordings: PhoneRecordings;

  before(async () => {
    w = await openWorld(engine);
    const demo = await seedDemo(w.services, 'rec_demo');
    pbx = demo.pbx as typeof pbx;
    mailboxId = (await w.services.objects.list(SYSTEM, pbx.id, 'mailboxes'))[0].id as number;
    attendantId = (await w.services.objects.list(SYSTEM, pbx.id, 'attendants'))[0].id as number;
    fsAudio = mkdtempSync(join(tmpdir(), 'dialtone-fs-audio-'));
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-data-'));
    mkdirSync(join(fsAudio, pbx.context), { recursive: true });
    recordings = new PhoneRecordings({
      orm: w.orm,
      objects: w.services.objects,
      source: localRecordingSource(),
      freeswitchAudioDir: fsAudio,
      dataDir,
      log: (level, msg) => logged.push([level, msg]),
      now: () => new Date('2026-11-26T09:00:00Z'),
    });
  });
  after(async () => {
    await w?.close();
    rmSync(fsAudio, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  let calls = 0;
  /** A new recording call: its uuid, and the path FreeSWITCH recorded to (what the generated flow names). */
  const call = (what: string) => {
    calls++;
    const uuid = `6a5b1c2d-0000-4000-8000-${String(calls).padStart(12, '0')}`;
    return { uuid, what, path: join(fsAudio, pbx.context, `phone-${what}-${uuid}.wav`) };
  };
  type Call = ReturnType<typeof call>;
  /** The call record of a recording call, as toCallRecord builds it (only what the import reads matters). */
  const record = (c: Call, file: string | null = c.path): CallRecordInput =>
    ({
      uuid: c.uuid,
      kind: 'a',
      countsForActivity: true,
      domain: pbx.domain,
      context: pbx.context,
      phoneRecording: { what: c.what, ...(file !== null && { file }) },
    }) as CallRecordInput;
  const recorded = (c: Call, bytes: Buffer) => writeFileSync(c.path, bytes);
  const stored = (c: Call) => `phone-${c.what}-${c.uuid}.wav`;

  it('imports a mailbox greeting: an AudioFile with its bytes, set as that greeting, played by the generator', async () => {
    const c = call(`mailbox-${mailboxId}-unavailable`);
    const bytes = wav(8000, 7);
    recorded(c, bytes);
    expect(await recordings.importFrom(record(c))).to.equal('imported');

    const audio = await w.orm.em.fork().findOneOrFail(AudioFileSchema, { pbxId: pbx.id, storedName: stored(c) });
    // 8000 samples of 8 kHz 16-bit mono: one second.
    expect(audio).to.include({ purpose: 'greeting', format: 'wav', sizeBytes: bytes.length, durationMs: 1000 });
    expect(readFileSync(join(dataDir, 'audio', pbx.context, stored(c))).equals(bytes)).to.equal(true);
    const box = await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId);
    expect(box.unavailableGreetingId).to.equal(audio.id);

    // The generated dialplan plays exactly the file FreeSWITCH recorded.
    const tree = generate([await w.services.snapshot(pbx.id)], { ...DEFAULT_OPTIONS, audioDir: fsAudio });
    expect([...tree.values()].some((text) => text.includes(c.path))).to.equal(true);
  });

  it('a repeated post (FreeSWITCH retries) changes nothing, not even a greeting chosen since; a new call replaces it', async () => {
    const first = call(`mailbox-${mailboxId}-busy`);
    recorded(first, wav(4000, 1));
    expect(await recordings.importFrom(record(first))).to.equal('imported');
    const firstAudio = (await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId)).busyGreetingId;
    await w.services.objects.update(SYSTEM, pbx.id, 'mailboxes', mailboxId, { busyGreetingId: null });
    expect(await recordings.importFrom(record(first))).to.equal('unchanged');
    expect((await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId)).busyGreetingId).to.equal(null);

    const second = call(`mailbox-${mailboxId}-busy`);
    recorded(second, wav(4000, 9));
    expect(await recordings.importFrom(record(second))).to.equal('imported');
    const now = (await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId)).busyGreetingId;
    expect(now).to.not.equal(firstAudio);
    const rows = await w.orm.em.fork().find(AudioFileSchema, { pbxId: pbx.id, purpose: 'greeting' });
    expect(rows.map((r) => r.storedName)).to.include.members([stored(first), stored(second)]);
  });

  it('two posts of the same call at once store it once', async () => {
    const c = call(`mailbox-${mailboxId}-name`);
    recorded(c, wav(3000, 4));
    const outcomes = await Promise.all([recordings.importFrom(record(c)), recordings.importFrom(record(c))]);
    expect(outcomes.filter((o) => o === 'imported')).to.have.length(1);
    expect(await w.orm.em.fork().count(AudioFileSchema, { pbxId: pbx.id, storedName: stored(c) })).to.equal(1);
    await w.services.objects.update(SYSTEM, pbx.id, 'mailboxes', mailboxId, { nameGreetingId: null });
  });

  it('re-recording a greeting removes the recording it replaced, unless something else still plays it', async () => {
    const field = 'unavailableGreetingId';
    const first = call(`mailbox-${mailboxId}-unavailable`);
    recorded(first, wav(2000, 2));
    expect(await recordings.importFrom(record(first))).to.equal('imported');
    const second = call(`mailbox-${mailboxId}-unavailable`);
    recorded(second, wav(2000, 3));
    expect(await recordings.importFrom(record(second))).to.equal('imported');
    const rows = () => w.orm.em.fork().find(AudioFileSchema, { pbxId: pbx.id });
    expect((await rows()).map((r) => r.storedName))
      .to.include(stored(second))
      .and.not.include(stored(first));
    expect(existsSync(join(dataDir, 'audio', pbx.context, stored(first)))).to.equal(false);
    expect(existsSync(join(dataDir, 'audio', pbx.context, stored(second)))).to.equal(true);
    // The same recording also used as the busy greeting: replacing it as the unavailable one keeps it.
    const secondId = (await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId))[field];
    await w.services.objects.update(SYSTEM, pbx.id, 'mailboxes', mailboxId, { busyGreetingId: secondId });
    const third = call(`mailbox-${mailboxId}-unavailable`);
    recorded(third, wav(2000, 4));
    expect(await recordings.importFrom(record(third))).to.equal('imported');
    expect((await rows()).map((r) => r.storedName)).to.include.members([stored(second), stored(third)]);
    await w.services.objects.update(SYSTEM, pbx.id, 'mailboxes', mailboxId, { busyGreetingId: null });
    // An uploaded greeting it replaces is the administrator's file: kept.
    const em = w.orm.em.fork();
    const upload = em.create(AudioFileSchema, {
      pbxId: pbx.id,
      purpose: 'greeting',
      storedName: 'upload-5e1f.wav',
      originalName: 'welcome.wav',
      format: 'wav',
      sizeBytes: 4,
      sha256: '0'.repeat(64),
      createdAt: new Date('2026-11-26T09:00:00Z'),
    });
    await em.flush();
    await w.services.objects.update(SYSTEM, pbx.id, 'mailboxes', mailboxId, { [field]: upload.id });
    const fourth = call(`mailbox-${mailboxId}-unavailable`);
    recorded(fourth, wav(2000, 5));
    expect(await recordings.importFrom(record(fourth))).to.equal('imported');
    expect((await rows()).map((r) => r.storedName)).to.include('upload-5e1f.wav');
  });

  it('imports an attendant announcement recorded at *323', async () => {
    const c = call(`attendant-${attendantId}`);
    recorded(c, wav(2000));
    expect(await recordings.importFrom(record(c))).to.equal('imported');
    const audio = await w.orm.em.fork().findOneOrFail(AudioFileSchema, { pbxId: pbx.id, storedName: stored(c) });
    expect(audio.purpose).to.equal('announcement');
    const attendant = await w.services.objects.get(SYSTEM, pbx.id, 'attendants', attendantId);
    expect(attendant.announcement).to.deep.equal({ source: 'audio', audioId: audio.id });
  });

  it('reads nothing when the record names another file or none, another kind or an unknown mailbox', async () => {
    const reads: string[] = [];
    const spying = new PhoneRecordings({
      orm: w.orm,
      objects: w.services.objects,
      source: {
        read: async (path) => {
          reads.push(path);
          return null;
        },
      },
      freeswitchAudioDir: fsAudio,
      dataDir,
      log: () => {},
    });
    const c = call(`mailbox-${mailboxId}-busy`);
    const other = call(`mailbox-${mailboxId}-busy`);
    for (const r of [
      record(c, '/etc/shadow'),
      record(c, other.path), // another call's file
      record(c, join(fsAudio, pbx.context, '..', 'other', `phone-${c.what}-${c.uuid}.wav`)),
      record(c, null),
      record({ ...c, what: 'mailbox-1-../../x' }),
      record({ ...c, what: '../../etc/passwd' }),
      record({ ...c, what: `mailbox-${mailboxId}-holiday` }),
      record(call('mailbox-999999-busy')),
      record(call('attendant-999999')),
      { ...record(c), domain: 'nowhere.test', context: 'public' },
    ])
      expect(await spying.importFrom(r)).to.equal('ignored');
    expect(reads).to.deep.equal([]);
    expect(await spying.importFrom({ ...record(c), phoneRecording: undefined })).to.equal('ignored');
  });

  it('a hang-up before the beep leaves nothing; a non-WAV, a header alone or a symlink is refused', async () => {
    const name = `mailbox-${mailboxId}-name`;
    expect(await recordings.importFrom(record(call(name)))).to.equal('missing');
    const php = call(name);
    recorded(php, Buffer.from('<?php system($_GET[c]); ?>'.padEnd(4000, ' ')));
    expect(await recordings.importFrom(record(php))).to.equal('ignored');
    const beep = call(name);
    recorded(beep, wav(10));
    expect(await recordings.importFrom(record(beep))).to.equal('ignored');
    const link = call(name);
    writeFileSync(join(fsAudio, 'secret.wav'), wav(8000));
    symlinkSync(join(fsAudio, 'secret.wav'), link.path);
    expect(await recordings.importFrom(record(link))).to.equal('ignored');
    const box = await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId);
    expect(box.nameGreetingId).to.equal(null);
    expect(logged.some(([level, msg]) => level === 'warn' && msg.includes('not a WAV'))).to.equal(true);
  });

  it('ignores a recording over 10 MB without reading it, and leaves the greeting as it was', async () => {
    const before = (await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId)).busyGreetingId;
    const c = call(`mailbox-${mailboxId}-busy`);
    recorded(c, Buffer.alloc(PHONE_RECORDING_MAX_BYTES + 1));
    expect(await recordings.importFrom(record(c))).to.equal('ignored');
    expect((await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId)).busyGreetingId).to.equal(before);
  });

  it('undoes a stored recording whose assignment failed, so the next post of the call imports it', async () => {
    let failOnce = true;
    const objects = Object.create(w.services.objects) as typeof w.services.objects;
    objects.update = async (...args: Parameters<typeof objects.update>) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('SQLITE_BUSY: database is locked');
      }
      return w.services.objects.update(...args);
    };
    const flaky = new PhoneRecordings({
      orm: w.orm,
      objects,
      source: localRecordingSource(),
      freeswitchAudioDir: fsAudio,
      dataDir,
      log: () => {},
    });
    const c = call(`attendant-${attendantId}`);
    recorded(c, wav(3000, 6));
    const err = await flaky.importFrom(record(c)).catch((e) => e);
    expect(String(err?.message)).to.contain('SQLITE_BUSY');
    expect(await w.orm.em.fork().count(AudioFileSchema, { pbxId: pbx.id, storedName: stored(c) })).to.equal(0);
    expect(await flaky.importFrom(record(c))).to.equal('imported');
    const audio = await w.orm.em.fork().findOneOrFail(AudioFileSchema, { pbxId: pbx.id, storedName: stored(c) });
    const attendant = await w.services.objects.get(SYSTEM, pbx.id, 'attendants', attendantId);
    expect(attendant.announcement).to.deep.equal({ source: 'audio', audioId: audio.id });
  });

  it('fails when the file cannot be read (the post is answered 500 and FreeSWITCH posts it again)', async () => {
    const failing = new PhoneRecordings({
      orm: w.orm,
      objects: w.services.objects,
      source: {
        read: async () => {
          throw new Error('connect ECONNREFUSED 192.0.2.7:22');
        },
      },
      freeswitchAudioDir: fsAudio,
      dataDir,
      log: () => {},
    });
    const err = await failing.importFrom(record(call(`attendant-${attendantId}`))).catch((e) => e);
    expect(err).to.be.instanceOf(Error);
    expect(String(err.message)).to.contain('ECONNREFUSED');
  });
});
