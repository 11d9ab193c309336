// Greetings recorded by phone: the call record names what was recorded, Dialtone reads the file FreeSWITCH wrote,
// keeps it as an AudioFile and makes it the mailbox greeting or attendant announcement the generator then plays.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AudioFileSchema } from '../../src/domain/model';
import type { CallRecordInput } from '../../src/freeswitch/cdr/call-record';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { localRecordingSource, RecordingTooLargeError } from '../../src/freeswitch/recording-source';
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

  /** The call record of a recording call, as toCallRecord builds it (only what the import reads matters). */
  const record = (what: string, file?: string): CallRecordInput =>
    ({
      uuid: '6a5b1c2d-0000-4000-8000-000000000001',
      kind: 'a',
      countsForActivity: true,
      domain: pbx.domain,
      context: pbx.context,
      phoneRecording: { what, ...(file !== undefined && { file }) },
    }) as CallRecordInput;
  const recorded = (what: string, bytes: Buffer) => {
    const path = join(fsAudio, pbx.context, `phone-${what}.wav`);
    writeFileSync(path, bytes);
    return path;
  };

  it('imports a mailbox greeting: an AudioFile with its bytes, set as that greeting, played by the generator', async () => {
    const what = `mailbox-${mailboxId}-unavailable`;
    const bytes = wav(8000, 7);
    const path = recorded(what, bytes);
    expect(await recordings.importFrom(record(what, path))).to.equal('imported');

    const audio = await w.orm.em
      .fork()
      .findOneOrFail(AudioFileSchema, { pbxId: pbx.id, storedName: `phone-${what}.wav` });
    expect(audio).to.include({ purpose: 'greeting', format: 'wav', sizeBytes: bytes.length });
    expect(readFileSync(join(dataDir, 'audio', pbx.context, `phone-${what}.wav`)).equals(bytes)).to.equal(true);
    const box = await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId);
    expect(box.unavailableGreetingId).to.equal(audio.id);

    // The generated dialplan plays exactly the file FreeSWITCH recorded.
    const tree = generate([await w.services.snapshot(pbx.id)], { ...DEFAULT_OPTIONS, audioDir: fsAudio });
    expect([...tree.values()].some((text) => text.includes(path))).to.equal(true);
  });

  it('the same recording posted again (FreeSWITCH retries) changes nothing; a new one replaces the bytes', async () => {
    const what = `mailbox-${mailboxId}-unavailable`;
    expect(await recordings.importFrom(record(what))).to.equal('unchanged');
    const again = wav(4000, 9);
    recorded(what, again);
    expect(await recordings.importFrom(record(what))).to.equal('imported');
    const rows = await w.orm.em.fork().find(AudioFileSchema, { pbxId: pbx.id, storedName: `phone-${what}.wav` });
    expect(rows).to.have.length(1);
    expect(rows[0].sizeBytes).to.equal(again.length);
    expect(readFileSync(join(dataDir, 'audio', pbx.context, `phone-${what}.wav`)).equals(again)).to.equal(true);
  });

  it('imports an attendant announcement recorded at *323', async () => {
    const what = `attendant-${attendantId}`;
    recorded(what, wav(2000));
    expect(await recordings.importFrom(record(what))).to.equal('imported');
    const audio = await w.orm.em
      .fork()
      .findOneOrFail(AudioFileSchema, { pbxId: pbx.id, storedName: `phone-${what}.wav` });
    expect(audio.purpose).to.equal('announcement');
    const attendant = await w.services.objects.get(SYSTEM, pbx.id, 'attendants', attendantId);
    expect(attendant.announcement).to.deep.equal({ source: 'audio', audioId: audio.id });
  });

  it('reads nothing when the record names another file, another kind or an unknown mailbox', async () => {
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
    const name = `mailbox-${mailboxId}-busy`;
    for (const r of [
      record(name, '/etc/shadow'),
      record(name, join(fsAudio, pbx.context, '..', 'other', `phone-${name}.wav`)),
      record('mailbox-1-../../x'),
      record('../../etc/passwd'),
      record(`mailbox-${mailboxId}-holiday`),
      record('mailbox-999999-busy'),
      record('attendant-999999'),
      { ...record(name), domain: 'nowhere.test', context: 'public' },
    ])
      expect(await spying.importFrom(r)).to.equal('ignored');
    expect(reads).to.deep.equal([]);
    expect(await spying.importFrom({ ...record(name), phoneRecording: undefined })).to.equal('ignored');
  });

  it('a caller who hung up before the beep leaves nothing to import; a file that is not a WAV is refused', async () => {
    const missing = `mailbox-${mailboxId}-name`;
    expect(await recordings.importFrom(record(missing))).to.equal('missing');
    recorded(missing, Buffer.from('<?php system($_GET[c]); ?>'.padEnd(100, ' ')));
    expect(await recordings.importFrom(record(missing))).to.equal('ignored');
    const box = await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId);
    expect(box.nameGreetingId).to.equal(null);
    expect(logged.some(([level, msg]) => level === 'warn' && msg.includes('not a WAV'))).to.equal(true);
  });

  it('refuses a recording over 10 MB without reading it (the post fails, FreeSWITCH retries, nothing is stored)', async () => {
    const what = `mailbox-${mailboxId}-busy`;
    recorded(what, Buffer.alloc(PHONE_RECORDING_MAX_BYTES + 1));
    let error: unknown;
    try {
      await recordings.importFrom(record(what));
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(RecordingTooLargeError);
    const box = await w.services.objects.get(SYSTEM, pbx.id, 'mailboxes', mailboxId);
    expect(box.busyGreetingId).to.equal(null);
  });
});
