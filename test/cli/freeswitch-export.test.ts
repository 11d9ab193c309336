// `dialtone freeswitch export`: a complete, parseable conf tree written atomically, optionally pushed over SFTP.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db';
import { AudioFileSchema } from '../../src/domain/model';
import { DEFAULT_OPTIONS } from '../../src/freeswitch/generator';
import { parseXmlStrict } from '../../src/freeswitch/xml-strict';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { freeswitchExport } from '../../src/services/freeswitch-export';
import { FakeEslServer } from '../fakes/fake-esl-server';
import { sftpServerAvailable, startSftpServer } from '../fakes/sftp-server';
import { makeSoundsHost } from '../helpers/sounds-host';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('dialtone freeswitch export', function () {
  this.timeout(30000);
  let services: Services;
  let dir: string;
  // Copied per test, not at load time: the global set-up adds TEST_DATABASE_URL after files load.
  let saved: NodeJS.ProcessEnv = {};
  const out: string[] = [];
  const err: string[] = [];
  const cli = (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, async () => services);
  };

  // The FreeSWITCH host's sounds (this machine has no sound packs): every prompt and macro the demo PBXs play.
  let soundsHost: { soundsDir: string; langDir: string };
  let hostRoot = '';
  before(async () => {
    services = createServices(await openDatabase({ url: null, sqlitePath: ':memory:' }));
    await seedDemo(services, 'demo');
    await seedDemo(services, 'second');
    const { sounds } = await freeswitchExport(services, {
      settings: {
        mode: 'static',
        sip: { bindIp: '127.0.0.1' },
        eventSocket: { password: 'esl-secret-42' },
        cdr: { url: 'http://127.0.0.1:8080/freeswitch/cdr', username: 'freeswitch', password: 'curl-secret-123' },
      },
      generate: DEFAULT_OPTIONS,
    });
    hostRoot = mkdtempSync(join(tmpdir(), 'dialtone-sounds-host-'));
    soundsHost = makeSoundsHost(hostRoot, sounds);
  });
  after(async () => {
    rmSync(hostRoot, { recursive: true, force: true });
    await services.orm.close(true);
  });
  beforeEach(() => {
    saved = { ...process.env };
    dir = mkdtempSync(join(tmpdir(), 'dialtone-export-'));
    process.env.XML_CURL_PASSWORD = 'curl-secret-123';
    process.env.PUBLIC_URL = 'http://127.0.0.1:8080';
    process.env.FREESWITCH_SOUNDS_DIR = soundsHost.soundsDir;
    process.env.FREESWITCH_LANG_DIR = soundsHost.langDir;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes base + generated files for every PBX, all well-formed XML (static mode: nothing asks Dialtone)', async () => {
    const target = join(dir, 'conf');
    expect(
      await cli('freeswitch', 'export', '--out', target, '--sip-ip', '127.0.0.1', '--esl-password', 'esl-secret-42'),
      err.join(),
    ).to.equal(0);
    const files = walk(target).map((p) => relative(target, p));
    for (const f of ['freeswitch.xml', 'vars.xml', 'autoload_configs/modules.conf.xml', 'sip_profiles/internal.xml'])
      expect(files, f).to.include(f);
    for (const c of ['ivr', 'conference', 'callcenter', 'local_stream', 'voicemail', 'directory'])
      expect(files).to.include(`autoload_configs/${c}.conf.xml`);
    for (const f of files)
      if (f.endsWith('.xml')) expect(() => parseXmlStrict(readFileSync(join(target, f), 'utf8')), f).to.not.throw();
    const vars = readFileSync(join(target, 'vars.xml'), 'utf8');
    expect(vars).to.contain('esl-secret-42').and.to.contain('127.0.0.1');
    expect(vars).not.to.contain('xml-curl');
    expect(files).not.to.include('autoload_configs/xml_curl.conf.xml');
    expect(readFileSync(join(target, 'autoload_configs/modules.conf.xml'), 'utf8')).not.to.contain('mod_xml_curl');
    expect(out.join('\n')).to.contain('static mode');
    // Stock prompts and music come from the sounds directory vars.xml names (Dialtone ships no audio of its own).
    expect(vars).to.contain(`data="dialtone_sounds_dir=${soundsHost.soundsDir}"`);
    expect(vars).to.contain(`data="dialtone_lang_dir=${soundsHost.langDir}"`);
    const streams = readFileSync(join(target, 'autoload_configs/local_stream.conf.xml'), 'utf8');
    expect(streams).to.contain(`<directory name="default" path="${soundsHost.soundsDir}/music/8000">`);
  });

  it('--mode live binds xml_curl to PUBLIC_URL and writes no stale copy of what Dialtone answers', async () => {
    const target = join(dir, 'conf');
    expect(
      await cli('freeswitch', 'export', '--out', target, '--mode', 'live', '--esl-password', 'esl-secret-42'),
      err.join(),
    ).to.equal(0);
    const files = walk(target).map((p) => relative(target, p));
    expect(readFileSync(join(target, 'vars.xml'), 'utf8')).to.contain('http://127.0.0.1:8080/freeswitch/xml-curl');
    expect(files).to.include('autoload_configs/xml_curl.conf.xml');
    expect(readFileSync(join(target, 'autoload_configs/modules.conf.xml'), 'utf8')).to.contain('mod_xml_curl');
    expect(files.filter((f) => /^(directory|dialplan)\//.test(f))).to.deep.equal(['dialplan/public.xml']);
    expect(files.filter((f) => f.startsWith('autoload_configs/voicemail'))).to.deep.equal([]);
    expect(await cli('freeswitch', 'export', '--out', join(dir, 'x'), '--mode', 'sometimes')).to.equal(2);
  });

  it('refuses a tree whose prompts or phrase files the FreeSWITCH host lacks, naming them; --sounds-dir / --lang-dir / --no-sounds-check', async () => {
    const target = join(dir, 'conf');
    const base = ['freeswitch', 'export', '--out', target, '--esl-password', 'esl-secret-42'];
    expect(await cli(...base, '--sounds-dir', join(dir, 'nothing'))).to.equal(1);
    expect(err.join()).to.match(/\d+ prompt\(s\) missing below .*nothing\/en\/us\/callie: ascii\/35.wav, /);
    expect(err.join()).to.contain('music/8000 has no files');
    expect(existsSync(target)).to.equal(false);
    expect(await cli(...base, '--lang-dir', join(dir, 'nothing'))).to.equal(1);
    expect(err.join()).to.contain(`phrase files: ${join(dir, 'nothing')}/en/en.xml does not exist`);
    // One prompt a phrase macro plays (not named by the tree itself) is enough to refuse.
    const macroFile = join(soundsHost.soundsDir, 'en/us/callie/misc/valet_example.wav');
    const saved = readFileSync(macroFile);
    rmSync(macroFile);
    try {
      expect(await cli(...base)).to.equal(1);
      expect(err.join()).to.contain('misc/valet_example.wav');
    } finally {
      writeFileSync(macroFile, saved);
    }
    expect(await cli(...base, '--sounds-dir', join(dir, 'nothing'), '--no-sounds-check'), err.join()).to.equal(0);
    expect(await cli(...base, '--sounds-dir', soundsHost.soundsDir, '--lang-dir', soundsHost.langDir)).to.equal(0);
  });

  it('limits the tree to one PBX with --pbx and refuses unknown ones', async () => {
    const target = join(dir, 'conf');
    expect(
      await cli('freeswitch', 'export', '--out', target, '--pbx', 'demo', '--esl-password', 'esl-secret-42'),
    ).to.equal(0);
    expect(
      await cli('freeswitch', 'export', '--out', join(dir, 'x'), '--pbx', 'nope', '--esl-password', 'esl-secret-42'),
    ).to.equal(1);
    expect(existsSync(join(dir, 'x'))).to.equal(false);
  });

  it('refuses the default ClueCon password, a missing xml_curl password and hostile settings', async () => {
    expect(await cli('freeswitch', 'export', '--out', join(dir, 'a'))).to.equal(2);
    expect(err[0]).to.contain('ClueCon');
    delete process.env.XML_CURL_PASSWORD;
    expect(await cli('freeswitch', 'export', '--out', join(dir, 'a'), '--esl-password', 'esl-secret-42')).to.equal(2);
    expect(err[0]).to.contain('XML_CURL_PASSWORD');
    process.env.XML_CURL_PASSWORD = 'curl-secret-123';
    expect(
      await cli(
        'freeswitch',
        'export',
        '--out',
        join(dir, 'a'),
        '--sip-ip',
        '1.2.3.4"/><x',
        '--esl-password',
        'esl-secret-42',
      ),
    ).to.equal(1);
    expect(existsSync(join(dir, 'a'))).to.equal(false);
  });

  it('pushes the tree to a real SFTP server', async function () {
    if (!sftpServerAvailable()) this.skip();
    const server = await startSftpServer();
    try {
      const remote = join(dir, 'remote-conf');
      const code = await cli(
        'freeswitch',
        'export',
        '--out',
        join(dir, 'local'),
        '--esl-password',
        'esl-secret-42',
        '--push',
        `${server.username}@127.0.0.1:${server.port}:${remote}`,
        '--push-password',
        server.password,
      );
      expect(code, err.join()).to.equal(0);
      expect(readFileSync(join(remote, 'vars.xml'), 'utf8')).to.contain('esl-secret-42');
    } finally {
      await server.close();
    }
  });

  describe('audio the tree plays', () => {
    const wav = (fill: number) =>
      Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(2000, fill)]);
    const upload = { name: 'upload-7f3a9c.wav', bytes: wav(3) };
    const recording = { name: 'phone-mailbox-1-busy-6a5b1c2d-0000-4000-8000-000000000001.wav', bytes: wav(5) };
    let pbxId: number;
    let boxId: number;
    let groupId: number;
    const ids: number[] = [];
    before(async () => {
      const { pbx } = await seedDemo(services, 'tones');
      pbxId = pbx.id;
      const em = services.orm.em.fork();
      for (const [f, purpose] of [
        [upload, 'hold_music'],
        [recording, 'greeting'],
      ] as const) {
        const row = em.create(AudioFileSchema, {
          pbxId,
          purpose,
          storedName: f.name,
          originalName: f.name,
          format: 'wav',
          sizeBytes: f.bytes.length,
          sha256: createHash('sha256').update(f.bytes).digest('hex'),
          createdAt: new Date('2026-11-26T09:00:00Z'),
        });
        await em.flush();
        ids.push(row.id);
      }
      boxId = (await services.objects.list(SYSTEM, pbxId, 'mailboxes'))[0].id as number;
      await services.objects.update(SYSTEM, pbxId, 'mailboxes', boxId, { busyGreetingId: ids[1] });
      const group = await services.objects.create(SYSTEM, pbxId, 'hold-music', {
        name: 'Lobby',
        outbound: false,
        trackIds: [ids[0]],
      });
      groupId = group.id as number;
    });
    after(async () => {
      await services.objects.update(SYSTEM, pbxId, 'mailboxes', boxId, { busyGreetingId: null });
      await services.objects.delete(SYSTEM, pbxId, 'hold-music', groupId);
      await services.orm.em.fork().nativeDelete(AudioFileSchema, { id: { $in: ids } });
    });
    const stored = () => {
      process.env.DATA_DIR = join(dir, 'data');
      mkdirSync(join(dir, 'data', 'audio', 'tones'), { recursive: true });
      for (const f of [upload, recording]) writeFileSync(join(dir, 'data', 'audio', 'tones', f.name), f.bytes);
    };
    const exportTones = (...more: string[]) =>
      cli(
        'freeswitch',
        'export',
        '--out',
        join(dir, 'conf'),
        '--pbx',
        'tones',
        '--esl-password',
        'esl-secret-42',
        ...more,
      );
    const lobby = (root: string) => join(root, 'tones', 'moh', String(groupId));

    it('copies it with --audio-out before the tree: greetings, and each hold-music folder holding just its tracks', async () => {
      stored();
      const audioOut = join(dir, 'fs-audio');
      mkdirSync(lobby(audioOut), { recursive: true });
      writeFileSync(join(lobby(audioOut), 'removed-track.wav'), wav(1));
      expect(await exportTones('--audio-out', audioOut, '--audio-dir', audioOut), err.join()).to.equal(0);
      expect(out.join('\n')).to.contain('audio: 3 files').and.contain('(3 written)');
      expect(readFileSync(join(audioOut, 'tones', recording.name)).equals(recording.bytes)).to.equal(true);
      expect(readFileSync(join(audioOut, 'tones', upload.name)).equals(upload.bytes)).to.equal(true);
      expect(readdirSync(lobby(audioOut))).to.deep.equal([upload.name]);
      expect(readFileSync(join(lobby(audioOut), upload.name)).equals(upload.bytes)).to.equal(true);
      // The tree names exactly those places.
      const text = walk(join(dir, 'conf'))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      expect(text)
        .to.contain(`${audioOut}/tones/${recording.name}`)
        .and.contain(`path="${lobby(audioOut)}"`);
      expect(await exportTones('--audio-out', audioOut, '--audio-dir', audioOut)).to.equal(0);
      expect(out.join('\n')).to.contain('(0 written)');
    });

    it('makes the folder of a PBX without any audio yet: FreeSWITCH records greetings by phone into it', async () => {
      const audioOut = join(dir, 'fs-audio-empty');
      const code = await cli(
        'freeswitch',
        'export',
        '--out',
        join(dir, 'conf'),
        '--pbx',
        'second',
        '--esl-password',
        'esl-secret-42',
        '--audio-out',
        audioOut,
      );
      expect(code, err.join()).to.equal(0);
      const folder = statSync(join(audioOut, 'second'));
      expect(folder.isDirectory()).to.equal(true);
      expect(folder.mode & 0o7777).to.equal(0o2775);
    });

    it('writes and prunes nothing through a symlink planted in the audio folder, and leaves sub-folders alone', async () => {
      stored();
      const audioOut = join(dir, 'fs-audio-2');
      const elsewhere = join(dir, 'elsewhere');
      mkdirSync(join(elsewhere, String(groupId)), { recursive: true });
      writeFileSync(join(elsewhere, String(groupId), 'precious.txt'), 'keep me');
      mkdirSync(join(audioOut, 'tones'), { recursive: true });
      symlinkSync(elsewhere, join(audioOut, 'tones', 'moh'));
      expect(await exportTones('--audio-out', audioOut, '--audio-dir', audioOut)).to.equal(1);
      expect(err.join()).to.contain('symbolic link');
      expect(readdirSync(join(elsewhere, String(groupId)))).to.deep.equal(['precious.txt']);
      rmSync(join(audioOut, 'tones', 'moh'));
      mkdirSync(join(lobby(audioOut), 'sub'), { recursive: true });
      expect(await exportTones('--audio-out', audioOut, '--audio-dir', audioOut), err.join()).to.equal(0);
      expect(readdirSync(lobby(audioOut)).sort()).to.deep.equal(['sub', upload.name].sort());
    });

    it('refuses to deliver audio whose bytes Dialtone does not hold, writing nothing; a plain export still works', async () => {
      process.env.DATA_DIR = join(dir, 'empty-data');
      expect(await exportTones('--audio-out', join(dir, 'fs-audio'))).to.equal(1);
      expect(err.join()).to.contain(recording.name).and.contain('no stored file');
      expect(existsSync(join(dir, 'conf'))).to.equal(false);
      expect(existsSync(join(dir, 'fs-audio'))).to.equal(false);
      expect(await exportTones()).to.equal(0);
    });

    it('uploads it with --push before the tree, only what the host lacks, never over a recording it made', async function () {
      if (!sftpServerAvailable()) this.skip();
      stored();
      const server = await startSftpServer();
      try {
        const remoteAudio = join(dir, 'remote-audio');
        const push = () =>
          exportTones(
            '--audio-dir',
            remoteAudio,
            '--push',
            `${server.username}@127.0.0.1:${server.port}:${join(dir, 'remote-conf')}`,
            '--push-password',
            server.password,
          );
        mkdirSync(lobby(remoteAudio), { recursive: true });
        writeFileSync(join(lobby(remoteAudio), 'removed-track.wav'), wav(1));
        expect(await push(), err.join()).to.equal(0);
        expect(out.join('\n')).to.contain('(3 uploaded)');
        expect(readFileSync(join(remoteAudio, 'tones', upload.name)).equals(upload.bytes)).to.equal(true);
        expect(readdirSync(lobby(remoteAudio))).to.deep.equal([upload.name]);
        expect(await push()).to.equal(0);
        expect(out.join('\n')).to.contain('(0 uploaded)');
        // Same size, other bytes: an upload is replaced; FreeSWITCH's own recording is not.
        writeFileSync(join(remoteAudio, 'tones', upload.name), wav(9));
        writeFileSync(join(remoteAudio, 'tones', recording.name), wav(9));
        expect(await push()).to.equal(0);
        expect(out.join('\n')).to.contain('(1 uploaded)');
        expect(readFileSync(join(remoteAudio, 'tones', upload.name)).equals(upload.bytes)).to.equal(true);
        expect(readFileSync(join(remoteAudio, 'tones', recording.name)).equals(wav(9))).to.equal(true);
      } finally {
        await server.close();
      }
    });
  });

  it('runs reloadxml over the event socket with --reload, and fails clearly when it cannot', async () => {
    const esl = await FakeEslServer.start({ password: 'esl-secret-42' });
    try {
      process.env.ESL_HOST = '127.0.0.1';
      process.env.ESL_PORT = String(esl.port);
      const code = await cli(
        'freeswitch',
        'export',
        '--out',
        join(dir, 'c'),
        '--esl-password',
        'esl-secret-42',
        '--reload',
      );
      expect(code, err.join()).to.equal(0);
      expect(esl.commandTexts()).to.include('api reloadxml');
      expect(out.join('\n')).to.contain('reloadxml done');
    } finally {
      await esl.close();
    }
    const failed = await cli(
      'freeswitch',
      'export',
      '--out',
      join(dir, 'd'),
      '--esl-password',
      'esl-secret-42',
      '--reload',
    );
    expect(failed).to.equal(1);
    expect(err[0]).to.contain('reloadxml over the event socket failed');
  });
});
