// Provisioning at start-up: a broken firmware profile stops it with the file named; `npm start` serves /provisioning/.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../src/config';
import { type Orm, openDatabase } from '../../src/db';
import { loadOrCreateKeyFile } from '../../src/provisioning/key-file';
import { startProvisioning } from '../../src/servers/provisioning/start';
import { SYSTEM } from '../../src/services/actor';
import { openPublishWorld } from '../provisioning/publish-fixture';
import { PROFILE_DIR } from './provisioning-world';

describe('provisioning start-up', function () {
  this.timeout(180_000);
  let dir: string;
  let orm: Orm;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-prov-start-'));
    orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  });
  afterEach(async () => {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops on a broken firmware profile, naming the file and the field', () => {
    const profiles = join(dir, 'profiles');
    cpSync(PROFILE_DIR, profiles, { recursive: true });
    const file = join(profiles, 'yealink-t54w.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"lines": 16', '"lines": "sixteen"'));
    const start = () =>
      startProvisioning(orm, { publicUrl: 'http://127.0.0.1:8080', dataDir: dir }, () => {}, { profileDir: profiles });
    expect(start).to.throw(ConfigError, /yealink-t54w\.json: lines/);
  });

  it('starts with the shipped profiles and creates the app-token key once, private', () => {
    const started = startProvisioning(orm, { publicUrl: 'http://127.0.0.1:8080', dataDir: dir }, () => {});
    expect(started.profileIds.has('polycom-vvx450')).to.equal(true);
    const keyFile = join(dir, 'keys', 'app-token.key');
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600);
    const key = loadOrCreateKeyFile(keyFile);
    expect(key.length).to.equal(32);
    startProvisioning(orm, { publicUrl: 'http://127.0.0.1:8080', dataDir: dir }, () => {});
    expect(loadOrCreateKeyFile(keyFile).equals(key), 'kept across restarts').to.equal(true);
  });

  it('warmAll() renders the files of every phone of every PBX, and stops when aborted', async () => {
    const a = await openPublishWorld('acme');
    try {
      const started = startProvisioning(a.services.orm, { publicUrl: 'http://127.0.0.1:8080', dataDir: dir }, () => {});
      const stop = new AbortController();
      stop.abort();
      expect(await started.warmAll(stop.signal)).to.equal(0);
      // Two Polycom phones with three files each, two Yealink phones with one.
      expect(await started.warmAll()).to.equal(8);
      // A PBX that cannot be read is skipped and logged; the others are still warmed.
      const warnings: string[] = [];
      const again = startProvisioning(
        a.services.orm,
        { publicUrl: 'http://127.0.0.1:8080', dataDir: dir },
        (_level, msg) => warnings.push(msg),
      );
      const warm = again.files.warm.bind(again.files);
      let calls = 0;
      again.files.warm = async (pbxId, options) =>
        calls++ === 0 ? Promise.reject(new Error('gone')) : warm(pbxId, options);
      await a.services.pbx.create(SYSTEM, { context: 'other', name: 'Other', timezone: 'UTC' });
      expect(await again.warmAll()).to.equal(0);
      expect(warnings).to.deep.equal(['provisioning: pre-rendering skipped a PBX']);
    } finally {
      await a.close();
    }
  });

  it('npm start mounts the router at /provisioning', async () => {
    const child: ChildProcess = spawn('node', ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        TFTP_PORT: '0',
        DATABASE_URL: '',
        DATA_DIR: dir,
        SEED_DEMO: 'false',
        WORKERS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no start:\n${text}`)), 120_000);
        const onData = (b: Buffer) => {
          text += b.toString();
          const m = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.on('exit', (code) => reject(new Error(`exited ${code}:\n${text}`)));
      });
      const master = await fetch(`http://127.0.0.1:${port}/provisioning/000000000000.cfg`);
      expect(master.status).to.equal(200);
      expect(await master.text()).to.contain('<APPLICATION');
      expect((await fetch(`http://127.0.0.1:${port}/provisioning/805ec0123456.cfg`)).status).to.equal(401);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
