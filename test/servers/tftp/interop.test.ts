// TFTP interop with real clients: curl (tftp://), Debian's tftp-hpa and atftp, against the server on 127.0.0.1.
// CI installs the clients (apt packages curl, tftp-hpa, atftp); each block skips, saying why, only if its binary is absent.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Harness, hasBinary, pattern, runTool, sha256, startServer } from './helpers';

const ROLLOVER_SIZE = 32 * 1024 * 1024 + 1000; // 65538 blocks of 512: block numbers wrap past 65535
const hasTftpHpa = hasBinary('tftp') && /tftp-hpa/.test(spawnSync('tftp', ['-V'], { encoding: 'utf8' }).stdout ?? '');

describe('tftp interop with real clients', function () {
  this.timeout(120_000);
  let dir: string;
  let h: Harness;
  let n = 0;
  const out = () => join(dir, `out-${++n}`);
  const text = Buffer.from('# bootstrap\nAPP_FILE_PATH="sip.ld"\nCONFIG_FILES="phone.cfg"\n'.repeat(5));
  const files = {
    'small.cfg': text,
    'exact.bin': pattern(1024, 2), // exactly 2 blocks of 512: a third, empty block ends it
    'exact1428.bin': pattern(1428 * 3, 3),
    'empty.cfg': Buffer.alloc(0),
    'two-k.bin': pattern(2000, 4),
    'firmware/fw.bin': randomBytes(3 * 1024 * 1024 + 123),
  } as Record<string, Buffer>;
  const many: Record<string, Buffer> = {};
  for (let i = 0; i < 50; i++) many[`cfg-${i}.cfg`] = pattern(40_000 + i * 101, 100 + i);
  let big: Buffer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialtone-tftp-interop-'));
    big = randomBytes(ROLLOVER_SIZE);
    await writeFile(join(dir, 'big.bin'), big);
    h = await startServer({ ...files, ...many, 'big.bin': { path: join(dir, 'big.bin') } });
  });
  after(async () => {
    await h?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lastStart = (filename: string) =>
    h.logs.filter((e) => e.event === 'transfer-start' && e.filename === filename).at(-1) as
      | { blksize: number; accepted: { name: string; value: string }[] }
      | undefined;
  const lastEnd = (filename: string) =>
    h.logs.filter((e) => e.event === 'transfer-end' && e.filename === filename).at(-1) as
      | { ok: boolean; blocks: number }
      | undefined;
  const refusedWrite = () => h.logs.some((e) => e.event === 'refused' && e.reason === 'write request');
  const readOut = async (path: string) => ((await stat(path).catch(() => null)) ? readFile(path) : Buffer.alloc(0));

  describe('curl', () => {
    before(function () {
      if (!hasBinary('curl')) {
        console.warn('    [skip] curl not installed (CI installs the Debian package "curl")');
        this.skip();
      }
    });
    const url = (name: string) => `tftp://127.0.0.1:${h.port}/${name}`;
    const curl = (args: string[]) => runTool('curl', ['-s', '--max-time', '100', ...args]);

    for (const name of ['small.cfg', 'exact.bin', 'exact1428.bin', 'empty.cfg']) {
      it(`downloads ${name} intact`, async () => {
        const o = out();
        const r = await curl(['-o', o, url(name)]);
        expect(r.code, r.stderr).to.equal(0);
        expect((await readOut(o)).equals(files[name])).to.equal(true);
      });
    }

    it('negotiates blksize 1428 with tsize and streams a firmware file from a subdirectory', async () => {
      const o = out();
      const r = await curl(['--tftp-blksize', '1428', '-o', o, url('firmware/fw.bin')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(sha256(await readFile(o))).to.equal(sha256(files['firmware/fw.bin']));
      const start = lastStart('firmware/fw.bin');
      expect(start?.blksize).to.equal(1428);
      expect(start?.accepted).to.deep.include({ name: 'tsize', value: String(files['firmware/fw.bin'].length) });
    });

    it('negotiates blksize 8', async () => {
      const o = out();
      const r = await curl(['--tftp-blksize', '8', '-o', o, url('two-k.bin')]);
      expect(r.code, r.stderr).to.equal(0);
      expect((await readFile(o)).equals(files['two-k.bin'])).to.equal(true);
      expect(lastStart('two-k.bin')?.blksize).to.equal(8);
      expect(lastEnd('two-k.bin')).to.include({ ok: true, blocks: 251 });
    });

    it('gets "not found" (curl exit 68) for a missing file', async () => {
      expect((await curl(['-o', out(), url('missing.cfg')])).code).to.equal(68);
    });

    it('gets "access violation" (curl exit 69) for traversal, and the source never sees the name', async () => {
      expect((await curl(['--path-as-is', '-o', out(), url('../etc/passwd')])).code).to.equal(69);
      expect((await curl(['-o', out(), url('%2e%2e/%2e%2e/etc/passwd')])).code).to.equal(69);
      expect(h.opened.some((name) => name.includes('..'))).to.equal(false);
    });

    it('has its upload (curl -T, a WRQ) refused with access violation (exit 69)', async () => {
      const src = join(dir, 'upload.txt');
      await writeFile(src, 'overwrite me');
      expect((await curl(['-T', src, url('small.cfg')])).code).to.equal(69);
      expect(refusedWrite()).to.equal(true);
    });

    it('downloads a file just over 32 MB with 512-byte blocks across the block-number rollover', async () => {
      const o = out();
      const r = await curl(['-o', o, url('big.bin')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(sha256(await readFile(o))).to.equal(sha256(big));
      expect(lastStart('big.bin')?.blksize).to.equal(512);
      expect(lastEnd('big.bin')).to.include({ ok: true, blocks: 65538 });
    });

    it('runs 50 concurrent curl downloads, all intact', async () => {
      const names = Object.keys(many);
      const outs = names.map(() => out());
      const results = await Promise.all(
        names.map((name, i) => curl([...(i % 2 ? ['--tftp-blksize', '1428'] : []), '-o', outs[i], url(name)])),
      );
      expect(results.map((r) => r.code)).to.deep.equal(names.map(() => 0));
      const contents = await Promise.all(outs.map((o) => readFile(o)));
      expect(contents.filter((c, i) => !c.equals(many[names[i]]))).to.have.length(0);
    });
  });

  describe('tftp-hpa', () => {
    before(function () {
      if (!hasTftpHpa) {
        console.warn('    [skip] tftp-hpa client not installed (CI installs the Debian package "tftp-hpa")');
        this.skip();
      }
    });
    // tftp-hpa exits 0 even after an error packet; its message is the signal.
    const tftp = (mode: string, command: string) =>
      runTool('tftp', ['-m', mode, '127.0.0.1', String(h.port), '-c', ...command.split(' ')], 100_000);

    for (const name of ['small.cfg', 'exact.bin', 'empty.cfg', 'firmware/fw.bin']) {
      it(`downloads ${name} intact (plain RFC 1350: no options)`, async () => {
        const o = out();
        const r = await tftp('binary', `get ${name} ${o}`);
        expect(r.stdout + r.stderr).to.not.match(/error/i);
        expect(sha256(await readOut(o))).to.equal(sha256(files[name]));
        expect(lastStart(name)?.accepted).to.deep.equal([]);
      });
    }

    it('gets the stored bytes in netascii mode for LF-only text (served as octet)', async () => {
      const o = out();
      await tftp('ascii', `get small.cfg ${o}`);
      expect((await readFile(o)).equals(text)).to.equal(true);
    });

    it('reports "File not found" for a missing file', async () => {
      const r = await tftp('binary', `get missing.cfg ${out()}`);
      expect(r.stdout + r.stderr).to.match(/Error code 1: File not found/);
    });

    for (const name of ['../../etc/passwd', '/etc/passwd', 'a\\b.cfg']) {
      it(`reports "Access violation" for ${name}`, async () => {
        const r = await tftp('binary', `get ${name} ${out()}`);
        expect(r.stdout + r.stderr).to.match(/Error code 2: Access violation/);
      });
    }

    it('has its put (WRQ) refused', async () => {
      const src = join(dir, 'put.txt');
      await writeFile(src, 'x');
      const r = await tftp('binary', `put ${src} uploaded.txt`);
      expect(r.stdout + r.stderr).to.match(/Error code 2: Write requests are refused/);
      expect(refusedWrite()).to.equal(true);
    });

    it('downloads a file just over 32 MB with 512-byte blocks across the block-number rollover', async () => {
      const o = out();
      await tftp('binary', `get big.bin ${o}`);
      expect(sha256(await readFile(o))).to.equal(sha256(big));
      expect(lastEnd('big.bin')).to.include({ ok: true, blocks: 65538 });
    });
  });

  describe('atftp', () => {
    before(function () {
      if (!hasBinary('atftp')) {
        console.warn('    [skip] atftp not installed (CI installs the Debian package "atftp")');
        this.skip();
      }
    });
    const atftp = (args: string[]) => runTool('atftp', [...args, '127.0.0.1', String(h.port)], 100_000);
    const get = (name: string, o: string, ...options: string[]) =>
      atftp(['-g', '-r', name, '-l', o, ...options.flatMap((opt) => ['--option', opt])]);

    it('negotiates blksize 1428 and tsize for a firmware file', async () => {
      const o = out();
      const r = await get('firmware/fw.bin', o, 'blksize 1428', 'tsize 0');
      expect(r.code, r.stderr).to.equal(0);
      expect(sha256(await readFile(o))).to.equal(sha256(files['firmware/fw.bin']));
      expect(lastStart('firmware/fw.bin')?.accepted).to.have.deep.members([
        { name: 'blksize', value: '1428' },
        { name: 'tsize', value: String(files['firmware/fw.bin'].length) },
      ]);
    });

    it('negotiates blksize 8 and the timeout option', async () => {
      const o = out();
      const r = await get('two-k.bin', o, 'blksize 8', 'timeout 1');
      expect(r.code, r.stderr).to.equal(0);
      expect((await readFile(o)).equals(files['two-k.bin'])).to.equal(true);
      expect(lastStart('two-k.bin')?.accepted).to.have.deep.members([
        { name: 'blksize', value: '8' },
        { name: 'timeout', value: '1' },
      ]);
    });

    it('negotiates windowsize (RFC 7440) and gets the firmware intact in windows of 8 blocks', async () => {
      const o = out();
      const r = await get('firmware/fw.bin', o, 'blksize 1428', 'windowsize 8');
      expect(r.code, r.stderr).to.equal(0);
      expect(sha256(await readFile(o))).to.equal(sha256(files['firmware/fw.bin']));
      expect(lastStart('firmware/fw.bin')).to.deep.include({ windowsize: 8 });
      expect(lastEnd('firmware/fw.bin')).to.include({ ok: true });
    });

    it('downloads an exact multiple of blksize 1428 and an empty file', async () => {
      const o = out();
      expect((await get('exact1428.bin', o, 'blksize 1428')).code).to.equal(0);
      expect((await readFile(o)).equals(files['exact1428.bin'])).to.equal(true);
      const e = out();
      expect((await get('empty.cfg', e, 'tsize 0')).code).to.equal(0);
      expect((await readOut(e)).length).to.equal(0);
    });

    it('fails on a missing file and on traversal', async () => {
      expect((await get('missing.cfg', out())).code).to.not.equal(0);
      expect((await get('../etc/passwd', out())).code).to.not.equal(0);
      expect(h.opened.some((name) => name.includes('..'))).to.equal(false);
    });

    it('has its put (WRQ) refused', async () => {
      const src = join(dir, 'put2.txt');
      await writeFile(src, 'x');
      expect((await atftp(['-p', '-r', 'uploaded.txt', '-l', src])).code).to.not.equal(0);
      expect(refusedWrite()).to.equal(true);
    });
  });
});
