// The upload pipeline's service on both databases: stored durably and linked through the object service, a refused
// file changes nothing, replacing frees the old file, the 60 MB of hold music is counted atomically, and what is
// stored flows unchanged through the export and the live xml_curl answers.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AudioRejectedError, ValidationError } from '../../src/domain/errors';
import { AudioFileSchema } from '../../src/domain/model';
import { HOLD_MUSIC_MAX_BYTES_PER_PBX } from '../../src/domain/rules/audio-rules';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { parseXmlCurlRequest } from '../../src/freeswitch/xml-curl-request';
import type { Actor } from '../../src/services/actor';
import { SYSTEM } from '../../src/services/actor';
import { type AudioTarget, AudioUploads } from '../../src/services/audio-uploads';
import { audioToDeliver, writeAudioDir } from '../../src/services/freeswitch-audio';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { sha256Hex } from '../../src/services/secrets';
import { mp3Fixture, wav } from '../helpers/audio-files';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, insertAudio, openFixture } from './fixture';
import { expectNotFound, rejection } from './support';

const AUDIO_OPTS = { ...DEFAULT_OPTIONS, audioDir: '/var/lib/dialtone/audio' };

forEachEngine('audio uploads', (engine) => {
  let fx: Fixture;
  let dataDir: string;
  let uploads: AudioUploads;
  let n = 0;
  const admin: Actor = { kind: 'user', userId: 41, pbxId: 0, type: 'admin', extensionId: null, permissions: [] };

  before(async () => {
    fx = await openFixture(engine);
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-uploads-'));
    uploads = new AudioUploads({
      orm: fx.s.orm,
      objects: fx.s.objects,
      dataDir,
      now: () => new Date('2026-12-01T10:00:00Z'),
    });
    Object.assign(admin, {
      pbxId: fx.a.pbx.id,
      permissions: ['mailboxes', 'auto_attendants', 'hold_music', 'voicemail'],
    });
  });
  after(async () => {
    await fx?.w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** An uploaded file as the HTTP side leaves it: a temporary file and the browser's name for it. */
  function incoming(bytes: Buffer, originalName = 'greeting.wav') {
    n++;
    const path = join(dataDir, `incoming-${n}`);
    writeFileSync(path, bytes);
    return { path, originalName };
  }
  const A = () => fx.a.pbx.id;
  const ctxDir = () => join(dataDir, 'audio', fx.a.pbx.context);
  const mailbox = () => fx.s.objects.get(SYSTEM, A(), 'mailboxes', fx.a.ext['201'].mailboxId);
  const greeting = (g: 'unavailable' | 'busy' | 'name' = 'unavailable') => ({
    kind: 'greeting' as const,
    mailboxId: fx.a.ext['201'].mailboxId,
    greeting: g,
  });
  const row = async (id: number) => fx.s.orm.em.fork().findOne(AudioFileSchema, { id });

  it('stores a greeting durably and makes it the mailbox greeting the generator plays', async () => {
    const bytes = wav({ rate: 16000, channels: 2, seconds: 1 });
    const stored = await uploads.store(admin, A(), greeting(), incoming(bytes, '..\\..\\evil\u0000<b>Hi.wav'));
    expect(stored).to.include({ format: 'wav', durationMs: 1000, replacedId: null });
    expect(stored.storedName).to.match(/^greeting-unavailable-[0-9a-f]{20}\.wav$/);
    const file = readFileSync(join(ctxDir(), stored.storedName));
    expect(file.length).to.equal(stored.sizeBytes);
    const r = await row(stored.id);
    expect(r).to.include({
      purpose: 'greeting',
      format: 'wav',
      sizeBytes: file.length,
      sha256: sha256Hex(file),
      durationMs: 1000,
      uploadedById: 41,
      originalName: 'evil<b>Hi.wav',
    });
    expect((await mailbox()).unavailableGreetingId).to.equal(stored.id);
    const tree = generate([await fx.s.snapshot(A())], AUDIO_OPTS);
    const all = [...tree.values()].join('\n');
    expect(all).to.include(`/var/lib/dialtone/audio/${fx.a.pbx.context}/${stored.storedName}`);
  });

  it('a refused file leaves the previous greeting, its row and its file in place', async () => {
    const before = (await mailbox()).unavailableGreetingId as number;
    const beforeRow = await row(before);
    const files = readdirSync(ctxDir()).sort();
    for (const bad of [Buffer.from('<html><script>x</script></html>'), wav({ freq: 0 }), Buffer.alloc(0)]) {
      const err = await rejection(uploads.store(admin, A(), greeting(), incoming(bad, 'x.mp3')));
      expect(err).to.be.instanceOf(AudioRejectedError);
    }
    expect((await mailbox()).unavailableGreetingId).to.equal(before);
    expect(await row(before)).to.deep.include({ storedName: beforeRow?.storedName, sha256: beforeRow?.sha256 });
    expect(readdirSync(ctxDir()).sort()).to.deep.equal(files);
    expect(readdirSync(uploads.tempDir), 'no converted leftovers').to.deep.equal([]);
  });

  it('replacing a greeting frees the old file, unless something else still uses it', async () => {
    const first = await uploads.store(admin, A(), greeting('busy'), incoming(wav(), 'one.wav'));
    const second = await uploads.store(
      admin,
      A(),
      greeting('busy'),
      incoming(mp3Fixture('tone-8k-mono.mp3'), 'two.mp3'),
    );
    expect(second.replacedId).to.equal(first.id);
    expect(second.format).to.equal('mp3');
    expect(await row(first.id)).to.equal(null);
    expect(existsSync(join(ctxDir(), first.storedName))).to.equal(false);
    // The second file is also mailbox 202's busy greeting: replacing it in 201 keeps it for 202.
    await fx.s.objects.update(SYSTEM, A(), 'mailboxes', fx.a.ext['202'].mailboxId, { busyGreetingId: second.id });
    const third = await uploads.store(admin, A(), greeting('busy'), incoming(wav(), 'three.wav'));
    expect(third.replacedId).to.equal(second.id);
    expect(await row(second.id)).to.not.equal(null);
    expect(existsSync(join(ctxDir(), second.storedName))).to.equal(true);
  });

  it('clearing a greeting goes back to the default and frees the file', async () => {
    const g = await uploads.store(admin, A(), greeting('name'), incoming(wav()));
    await uploads.clear(admin, A(), greeting('name'));
    expect((await mailbox()).nameGreetingId).to.equal(null);
    expect(await row(g.id)).to.equal(null);
  });

  it('an attendant announcement is uploaded the same way', async () => {
    const target: AudioTarget = { kind: 'announcement', attendantId: fx.ids.attendant };
    const a = await uploads.store(admin, A(), target, incoming(mp3Fixture('tone-44k-tagged.mp3'), 'welcome.mp3'));
    const attendant = await fx.s.objects.get(SYSTEM, A(), 'attendants', fx.ids.attendant);
    expect(attendant.announcement).to.deep.equal({ source: 'audio', audioId: a.id });
    expect((await row(a.id))?.purpose).to.equal('announcement');
    const b = await uploads.store(admin, A(), target, incoming(wav(), 'welcome2.wav'));
    expect(b.replacedId).to.equal(a.id);
    expect(await row(a.id)).to.equal(null);
  });

  it('an employee uploads their own greeting, never another mailbox, attendant or hold music', async () => {
    const employee: Actor = {
      kind: 'user',
      userId: 77,
      pbxId: A(),
      type: 'employee',
      extensionId: fx.a.ext['202'].id,
      permissions: ['voicemail', 'mailboxes', 'extensions'],
    };
    const own: AudioTarget = { kind: 'greeting', mailboxId: fx.a.ext['202'].mailboxId, greeting: 'unavailable' };
    const mine = await uploads.store(employee, A(), own, incoming(wav()));
    expect((await row(mine.id))?.uploadedById).to.equal(77);
    const rowsBefore = await fx.s.orm.em.fork().count(AudioFileSchema, {});
    await expectNotFound(uploads.store(employee, A(), greeting(), incoming(wav())));
    await rejection(
      uploads.store(employee, A(), { kind: 'announcement', attendantId: fx.ids.attendant }, incoming(wav())),
    );
    await rejection(uploads.store(employee, A(), { kind: 'hold-music', groupId: fx.ids.music }, incoming(wav())));
    // Another tenant's mailbox, by an administrator of A.
    await rejection(
      uploads.store(
        admin,
        fx.b.pbx.id,
        { kind: 'greeting', mailboxId: fx.b.ext['201'].mailboxId, greeting: 'busy' },
        incoming(wav()),
      ),
    );
    expect(await fx.s.orm.em.fork().count(AudioFileSchema, {})).to.equal(rowsBefore);
  });

  it('a greeting kind other than the three is a field error', async () => {
    const err = await rejection(
      uploads.store(
        admin,
        A(),
        { kind: 'greeting', mailboxId: fx.a.ext['201'].mailboxId, greeting: 'x' as never },
        incoming(wav()),
      ),
    );
    expect(err).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).fields).to.have.property('greeting');
  });

  describe('hold music', () => {
    const track = (): AudioTarget => ({ kind: 'hold-music', groupId: fx.ids.music });

    it('tracks are appended to the group and delivered into its local_stream folder', async () => {
      const t1 = await uploads.store(admin, A(), track(), incoming(mp3Fixture('tone-44k-stereo.mp3'), 'one.mp3'));
      const t2 = await uploads.store(admin, A(), track(), incoming(wav({ rate: 44100, channels: 2 }), 'two.wav'));
      const group = await fx.s.objects.get(SYSTEM, A(), 'hold-music', fx.ids.music);
      expect(group.trackIds).to.deep.equal([t1.id, t2.id]);
      // Export: the files the tree names reach the FreeSWITCH host's audio folder unchanged.
      const snap = await fx.s.snapshot(A());
      const delivery = audioToDeliver([snap], dataDir);
      const out = mkdtempSync(join(tmpdir(), 'dialtone-fs-audio-'));
      try {
        await writeAudioDir(delivery, out);
        const moh = join(out, fx.a.pbx.context, 'moh', String(fx.ids.music));
        expect(readdirSync(moh).sort()).to.deep.equal([t1.storedName, t2.storedName].sort());
        for (const t of [t1, t2])
          expect(readFileSync(join(moh, t.storedName)).equals(readFileSync(join(ctxDir(), t.storedName)))).to.equal(
            true,
          );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      // Live: xml_curl's local_stream.conf streams that folder, the greeting is in the PBX's dialplan.
      const answerer = new XmlCurlAnswerer(new LiveSnapshots(fx.s.orm), AUDIO_OPTS);
      const conf = await answerer.answer(parseXmlCurlRequest('section=configuration&key_value=local_stream.conf'));
      expect(conf).to.include(`/var/lib/dialtone/audio/${fx.a.pbx.context}/moh/${fx.ids.music}`);
      const greetingId = (await mailbox()).unavailableGreetingId as number;
      const plan = await answerer.answer(
        parseXmlCurlRequest(`section=dialplan&Caller-Context=${fx.a.pbx.context}&Caller-Destination-Number=201`),
      );
      expect(plan).to.include(`/${fx.a.pbx.context}/${(await row(greetingId))?.storedName}`);
    });

    it('60 MB per PBX, counted so that two uploads at once cannot both fit the last space', async () => {
      const bytes = mp3Fixture('tone-44k-stereo.mp3');
      const used = async () => (await uploads.usage(admin, A())).holdMusicUsedBytes;
      // Fill up to just under the limit with one file's room (plus a little) left.
      const filler = HOLD_MUSIC_MAX_BYTES_PER_PBX - (await used()) - bytes.length - 100;
      const fill = await insertAudio(fx, fx.a, filler);
      const results = await Promise.allSettled([
        uploads.store(admin, A(), track(), incoming(bytes, 'a.mp3')),
        uploads.store(admin, A(), track(), incoming(bytes, 'b.mp3')),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(ok).to.have.length(1);
      expect(refused).to.have.length(1);
      expect(refused[0].reason).to.be.instanceOf(ValidationError);
      expect(refused[0].reason.message).to.match(/limited to 60 MB in total/);
      expect(await used()).to.be.at.most(HOLD_MUSIC_MAX_BYTES_PER_PBX);
      // Deleting a track frees its bytes: the refused file fits now.
      const kept = (ok[0] as PromiseFulfilledResult<{ id: number; storedName: string }>).value;
      await uploads.removeTrack(admin, A(), fx.ids.music, kept.id);
      expect(await row(kept.id)).to.equal(null);
      expect(existsSync(join(ctxDir(), kept.storedName))).to.equal(false);
      const again = await uploads.store(admin, A(), track(), incoming(bytes, 'b.mp3'));
      await uploads.removeTrack(admin, A(), fx.ids.music, again.id);
      await fx.s.objects.delete(SYSTEM, A(), 'audio', fill);
    });

    it('the budget holds when the rows themselves are created at the same instant', async () => {
      const MB = 1024 * 1024;
      const filler = HOLD_MUSIC_MAX_BYTES_PER_PBX - (await uploads.usage(admin, A())).holdMusicUsedBytes - 15 * MB;
      const fill = await insertAudio(fx, fx.a, filler);
      const row = (k: number) => ({
        purpose: 'hold_music',
        storedName: `moh-race-${k}.mp3`,
        format: 'mp3',
        originalName: 'race.mp3',
        sizeBytes: 9 * MB,
        sha256: 'a'.repeat(64),
        durationMs: 1000,
        uploadedById: null,
        createdAt: new Date(),
      });
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map((k) => fx.s.objects.create(SYSTEM, A(), 'audio', {}, row(k))),
      );
      const made = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: number }>[];
      expect(made, 'exactly one fits').to.have.length(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason.message).to.match(/limited to 60 MB/);
      await fx.s.objects.delete(SYSTEM, A(), 'audio', made[0].value.id);
      await fx.s.objects.delete(SYSTEM, A(), 'audio', fill);
    });

    it('two uploads into one group at once both end up in its track list', async () => {
      const g = await fx.s.objects.create(SYSTEM, A(), 'hold-music', { name: 'Busy group' });
      const target: AudioTarget = { kind: 'hold-music', groupId: g.id as number };
      const [x, y] = await Promise.all([
        uploads.store(admin, A(), target, incoming(wav({ freq: 300 }))),
        uploads.store(admin, A(), target, incoming(wav({ freq: 500 }))),
      ]);
      const saved = await fx.s.objects.get(SYSTEM, A(), 'hold-music', g.id as number);
      expect([...(saved.trackIds as number[])].sort()).to.deep.equal([x.id, y.id].sort());
      await uploads.deleteGroup(admin, A(), g.id as number);
    });

    it('deleting a group deletes its tracks', async () => {
      const g = await fx.s.objects.create(SYSTEM, A(), 'hold-music', { name: 'Doomed' });
      const t = await uploads.store(admin, A(), { kind: 'hold-music', groupId: g.id as number }, incoming(wav()));
      await uploads.deleteGroup(admin, A(), g.id as number);
      expect(await row(t.id)).to.equal(null);
      expect(existsSync(join(ctxDir(), t.storedName))).to.equal(false);
    });
  });
});
