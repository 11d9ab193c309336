// `npm start` end to end: a fresh data folder gets the schema, the demo PBX and a printed admin login; /healthz answers;
// the jobs are scheduled and refused call records kept.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);

function start(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn('node', ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TFTP_PORT: '0', DATABASE_URL: '', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM'); // never left running after the test
      reject(new Error(`server did not start:\n${text}`));
    }, 120_000);
    const onData = (b: Buffer) => {
      text += b.toString();
      const m = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => text });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${text}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start', function () {
  this.timeout(300_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-start-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the schema, seeds the demo, prints the admin login once, answers /healthz', async () => {
    const first = await start({ DATA_DIR: dataDir });
    try {
      expect(first.output()).to.match(/Admin login: admin@demo\.dialtone\.test/);
      const res = await fetch(`http://127.0.0.1:${first.port}/healthz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ status: 'ok', database: 'ok' });
      // Phones' files are rendered in the background after start-up (the demo has none yet; bounded wait for the log).
      let warmed: RegExpExecArray | null = null;
      // The background process runs at the lowest CPU priority: on a busy machine it may take a while (bounded: 120 s).
      for (let i = 0; i < 1200 && !warmed; i++) {
        warmed = /phone files pre-rendered[^\n]*"files":(\d+)/.exec(first.output());
        if (!warmed) await new Promise((r) => setTimeout(r, 100));
      }
      expect(warmed, first.output()).to.not.equal(null);
    } finally {
      await stop(first.child);
    }
    const second = await start({ DATA_DIR: dataDir });
    try {
      expect(second.output()).to.not.contain('Admin login');
    } finally {
      await stop(second.child);
    }
  });

  it('serves provisioning over HTTP and TFTP, and keeps the FreeSWITCH endpoints closed without a password', async () => {
    const tftpPort = 30000 + Math.floor(Math.random() * 20000);
    const s = await start({ DATA_DIR: dataDir, SEED_DEMO: 'false', TFTP_PORT: String(tftpPort) });
    try {
      const http = await fetch(`http://127.0.0.1:${s.port}/provisioning/000000000000.cfg`);
      expect(http.status).to.equal(200);
      expect(await http.text()).to.contain('APPLICATION');
      const { stdout } = await run('curl', ['-s', '--max-time', '5', `tftp://127.0.0.1:${tftpPort}/000000000000.cfg`]);
      expect(stdout).to.contain('APPLICATION');
      const curl = await fetch(`http://127.0.0.1:${s.port}/freeswitch/xml-curl`, {
        method: 'POST',
        body: 'section=directory',
      });
      expect(curl.status).to.equal(403);
    } finally {
      await stop(s.child);
    }
  });

  it('schedules the jobs (cdr-import with CDR_IMPORT_DIR), keeps a refused call record as a dead letter, stops cleanly', async () => {
    const importDir = join(dataDir, 'fs-cdr-errors');
    mkdirSync(importDir);
    const s = await start({
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      XML_CURL_PASSWORD: 'main-test-secret',
      CDR_IMPORT_DIR: importDir,
    });
    try {
      // The background process schedules them; it may log that after the workers listen (bounded wait).
      const scheduled = /"msg":"jobs scheduled".*call-record-retention \(17 3 \* \* \* UTC\).*cdr-import/;
      for (let i = 0; i < 300 && !scheduled.test(s.output()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(s.output()).to.match(scheduled);
      const res = await fetch(`http://127.0.0.1:${s.port}/freeswitch/cdr`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('freeswitch:main-test-secret').toString('base64')}`,
        },
        body: '{"variables":',
      });
      expect(res.status).to.equal(400);
      const letters = readdirSync(join(dataDir, 'cdr-dead-letter'));
      expect(letters.filter((n) => n.endsWith('.cdr'))).to.have.length(1);
    } finally {
      await stop(s.child);
    }
    expect(s.output()).to.contain('"msg":"shutting down"');
  });

  it('starts empty with SEED_DEMO=false and fails fast on a bad setting', async () => {
    const s = await start({ DATA_DIR: dataDir, SEED_DEMO: 'false' });
    try {
      expect(s.output()).to.not.contain('Admin login');
    } finally {
      await stop(s.child);
    }
    const bad = await start({ DATA_DIR: dataDir, PORT: 'eighty' }).catch((e: Error) => e);
    expect(String(bad)).to.contain('PORT must be a whole number');
  });
});
