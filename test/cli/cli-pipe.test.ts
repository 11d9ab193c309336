// The real `dialtone` binary writing ~10 MB of JSON into a pipe whose reader is slow: every byte arrives, exit 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { insertBigPbx } from '../../bench/support/big-pbx';
import { openDatabase } from '../../src/db';

interface Piped {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs the CLI with stdout on a pipe to this process, which reads nothing for `stallMs` (the kernel's 64 kB pipe buffer
 * fills and the rest waits in the child), then reads slowly in small pieces, as `| cat` on a busy machine would.
 */
function runPiped(args: string[], env: NodeJS.ProcessEnv, stallMs: number): Promise<Piped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/dialtone.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('readable', function drain(this: NodeJS.ReadableStream) {
        // A slow reader: 16 kB at a time, one piece per timer turn.
        const piece = child.stdout.read(16 * 1024) ?? child.stdout.read();
        if (piece) chunks.push(piece);
        if (child.stdout.readableLength > 0) setTimeout(() => drain.call(this), 1);
      });
    }, stallMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout: Buffer.concat(chunks), stderr });
    });
  });
}

describe('dialtone CLI through a pipe', function () {
  this.timeout(180_000);
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-cli-pipe-'));
    const orm = await openDatabase({ url: null, sqlitePath: join(dataDir, 'dialtone.sqlite') });
    try {
      await insertBigPbx(orm, {
        context: 'big',
        extensions: 10_000,
        ringGroups: 0,
        attendants: 0,
        numbers: 1,
        didPrefix: '212',
      });
    } finally {
      await orm.close(true);
    }
    env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('delivers every byte of a 10 MB --json listing to a slow reader and exits 0', async () => {
    const r = await runPiped(['list', 'extensions', '--pbx', 'big', '--json'], env, 1500);
    expect(r.stderr).to.equal('');
    expect(r.stdout.length, 'about 10 MB of output').to.be.greaterThan(8 * 1024 * 1024);
    const list = JSON.parse(r.stdout.toString('utf8')) as Array<{ number: string }>;
    expect(list).to.have.length(10_000);
    expect(list.at(-1)?.number).to.equal('10999');
    expect(r.code).to.equal(0);
  });

  it('still exits 1 with its one-line reason (stderr) when refused', async () => {
    const r = await runPiped(['list', 'extensions', '--pbx', 'missing', '--json'], env, 200);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stdout.length).to.equal(0);
  });
});
