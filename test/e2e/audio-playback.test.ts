// FreeSWITCH plays what the upload pipeline stores. Files of many formats go through the real pipeline (content
// check, conversion, storage as hold-music tracks), the real export delivers them to a FreeSWITCH audio folder, and a
// real FreeSWITCH 1.10 (temp dirs, event socket on a free port, no SIP) plays each with `playback` on a loopback
// call and streams the group with mod_local_stream from the generated local_stream.conf. Its log must show every
// file played to the end and no error (that stored WAVs are mono is checked in test/services/audio/). Self-contained on purpose (one
// file); it can move onto the shared harness in test/e2e/support/ later. Without FreeSWITCH it skips, unless CI is
// set (then it fails).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { SYSTEM } from '../../src/services/actor';
import { AudioUploads } from '../../src/services/audio-uploads';
import { audioToDeliver, writeAudioDir } from '../../src/services/freeswitch-audio';
import { MP3_FIXTURES, mp3Fixture, type WavSpec, wav } from '../helpers/audio-files';
import { ENGINES } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';

const run = promisify(execFile);
const FREESWITCH = ['/usr/local/bin/freeswitch', '/usr/bin/freeswitch'].find((p) => existsSync(p));
const FS_CLI = ['/usr/local/bin/fs_cli', '/usr/bin/fs_cli'].find((p) => existsSync(p));
const PASSWORD = 'dialtone-e2e';

const WAVS: Array<[string, WavSpec]> = [
  ['8k-mono-16', { rate: 8000 }],
  ['16k-stereo-16', { rate: 16000, channels: 2 }],
  ['44k-stereo-16', { rate: 44100, channels: 2 }],
  ['48k-stereo-24', { rate: 48000, channels: 2, bits: 24 }],
  ['8k-mono-8', { rate: 8000, bits: 8 }],
  ['8k-ulaw', { codec: 'ulaw' }],
  ['8k-alaw', { codec: 'alaw' }],
  ['44k-stereo-ima', { rate: 44100, channels: 2, codec: 'ima' }],
  ['48k-mono-float', { rate: 48000, codec: 'float', bits: 32 }],
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const CONFIG = (port: number) => `<?xml version="1.0"?>
<document type="freeswitch/xml">
  <section name="configuration" description="configuration">
    <configuration name="switch.conf" description="core">
      <settings>
        <param name="loglevel" value="debug"/>
        <param name="max-sessions" value="100"/>
        <param name="sessions-per-second" value="100"/>
      </settings>
    </configuration>
    <configuration name="modules.conf" description="modules">
      <modules>
        <load module="mod_logfile"/>
        <load module="mod_event_socket"/>
        <load module="mod_commands"/>
        <load module="mod_dptools"/>
        <load module="mod_loopback"/>
        <load module="mod_dialplan_xml"/>
        <load module="mod_sndfile"/>
        <load module="mod_shout"/>
        <load module="mod_tone_stream"/>
        <load module="mod_local_stream"/>
      </modules>
    </configuration>
    <configuration name="logfile.conf" description="log">
      <profiles><profile name="default"><settings><param name="rollover" value="0"/></settings>
        <mappings><map name="all" value="debug,info,notice,warning,err,crit,alert"/></mappings></profile></profiles>
    </configuration>
    <configuration name="event_socket.conf" description="event socket">
      <settings>
        <param name="listen-ip" value="127.0.0.1"/>
        <param name="listen-port" value="${port}"/>
        <param name="password" value="${PASSWORD}"/>
      </settings>
    </configuration>
    <configuration name="shout.conf" description="mod_shout"><settings/></configuration>
    <X-PRE-PROCESS cmd="include" data="generated/local_stream.conf.xml"/>
  </section>
  <section name="dialplan" description="dialplan">
    <context name="default">
      <extension name="sink"><condition field="destination_number" expression="^sink$">
        <action application="answer"/><action application="park"/></condition></extension>
    </context>
  </section>
</document>
`;

describe('FreeSWITCH plays uploaded audio (e2e)', function () {
  this.timeout(120_000);
  let root: string;
  let w: TestWorld;
  let port: number;
  let pid: number | null = null;
  const log = () => readFileSync(join(root, 'log', 'freeswitch.log'), 'utf8');
  const cli = async (cmd: string) =>
    (await run(FS_CLI as string, ['-H', '127.0.0.1', '-P', String(port), '-p', PASSWORD, '-x', cmd])).stdout;
  /** What each stored file is: its FreeSWITCH path, the name of the case, and its format. */
  const played: Array<{ name: string; path: string; uuid: string }> = [];
  let stream = '';

  before(async function () {
    if (!FREESWITCH || !FS_CLI) {
      if (process.env.CI) throw new Error('FreeSWITCH is not installed (freeswitch, fs_cli): the e2e test cannot run');
      this.skip();
    }
    root = mkdtempSync(join(tmpdir(), 'dialtone-fs-audio-'));
    for (const d of [
      'conf/generated',
      'log',
      'db',
      'storage',
      'run',
      'temp',
      'recordings',
      'sounds/music/8000',
      'audio',
    ])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'sounds', 'music', '8000', 'stock.wav'), wav({ seconds: 1 }));

    // Through the pipeline: every case becomes a hold-music track of one group, stored under DATA_DIR.
    w = await openWorld(ENGINES[0]);
    const { pbx } = await makePbx(w.services, 'e2e_audio');
    const group = await w.services.objects.create(SYSTEM, pbx.id, 'hold-music', { name: 'Everything' });
    const dataDir = join(root, 'data');
    const uploads = new AudioUploads({ orm: w.orm, objects: w.services.objects, dataDir });
    const cases: Array<[string, Buffer]> = [
      ...WAVS.map(([name, spec]): [string, Buffer] => [`${name}.wav`, wav({ seconds: 0.6, ...spec })]),
      ...MP3_FIXTURES.map((name): [string, Buffer] => [name, mp3Fixture(name)]),
    ];
    const stored: Array<{ name: string; storedName: string }> = [];
    for (const [name, bytes] of cases) {
      const path = join(root, `incoming-${name}`);
      writeFileSync(path, bytes);
      const s = await uploads.store(
        SYSTEM,
        pbx.id,
        { kind: 'hold-music', groupId: group.id as number },
        {
          path,
          originalName: name,
        },
      );
      stored.push({ name, storedName: s.storedName });
    }
    // Through the export: delivered to FreeSWITCH's audio folder, local_stream.conf generated for the group.
    const snap = await w.services.snapshot(pbx.id);
    const opts = { ...DEFAULT_OPTIONS, audioDir: join(root, 'audio'), soundsDir: join(root, 'sounds') };
    await writeAudioDir(audioToDeliver([snap], dataDir, opts.audioDir), opts.audioDir);
    const conf = generate([snap], opts).get('autoload_configs/local_stream.conf.xml') as string;
    writeFileSync(join(root, 'conf', 'generated', 'local_stream.conf.xml'), conf);
    stream = `${pbx.context}_${group.id}`;
    expect(conf).to.include(`name="${stream}"`);
    for (const [i, s] of stored.entries())
      played.push({
        name: s.name,
        path: join(opts.audioDir, pbx.context, s.storedName),
        uuid: `a0d10000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      });

    port = await freePort();
    writeFileSync(join(root, 'conf', 'freeswitch.xml'), CONFIG(port));
    const dir = (d: string) => join(root, d);
    await run(FREESWITCH as string, [
      ...['-conf', dir('conf'), '-log', dir('log'), '-db', dir('db'), '-storage', dir('storage'), '-run', dir('run')],
      ...['-temp', dir('temp'), '-recordings', dir('recordings'), '-sounds', dir('sounds'), '-nonat', '-ncwait'],
    ]);
    pid = Number(readFileSync(join(root, 'run', 'freeswitch.pid'), 'utf8').trim());
  });

  after(async () => {
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
      // Bounded wait for it to go (it takes about two seconds).
      for (let i = 0; i < 100 && pid; i++) {
        try {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          pid = null;
        }
      }
      if (pid) process.kill(pid, 'SIGKILL');
    }
    await w?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function waitIdle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (/^0 total/m.test(await cli('show channels count'))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('FreeSWITCH still has channels after 20 s');
  }

  it('plays every stored file to its end with playback, without an error', async () => {
    for (const p of played)
      await cli(`bgapi originate {origination_uuid=${p.uuid}}loopback/sink/default &playback(${p.path})`);
    // Let every call start, then wait for all of them to have played and hung up.
    await new Promise((r) => setTimeout(r, 1000));
    await waitIdle();
    const lines = log().split('\n');
    for (const p of played) {
      const mine = lines.filter((l) => l.startsWith(p.uuid));
      expect(
        mine.some((l) => l.includes(`done playing file ${p.path}`)),
        `${p.name} played`,
      ).to.equal(true);
      expect(
        mine.filter((l) => /\[(ERR|CRIT)\]/.test(l)),
        `${p.name}: errors`,
      ).to.deep.equal([]);
    }
  });

  it("streams the group's folder with mod_local_stream, without an error", async () => {
    const uuid = 'a0d10000-0000-4000-8000-999999999999';
    const before = log().length;
    await cli(
      `bgapi originate {origination_uuid=${uuid},execute_on_answer='sched_hangup +4'}loopback/sink/default &playback(local_stream://${stream})`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    await waitIdle();
    expect(await cli(`local_stream show ${stream}`)).to.include(join(root, 'audio'));
    const after = log().slice(before).split('\n');
    expect(after.filter((l) => /\[(ERR|CRIT)\]/.test(l))).to.deep.equal([]);
    expect(after.some((l) => l.startsWith(uuid) && l.includes(`local_stream://${stream}`))).to.equal(true);
    // Whole-log check: nothing FreeSWITCH did with our files was an error.
    const errors = log()
      .split('\n')
      .filter((l) => /\[(ERR|CRIT)\]/.test(l));
    expect(errors).to.deep.equal([]);
  });
});
