// Atomic export: the tree swaps in one rename; a crash mid-write leaves the previous tree intact; SFTP push does the same remotely.
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { FileText } from '../../src/freeswitch/pack-tree';
import { pushTreeSftp } from '../../src/freeswitch/sftp-push';
import { currentTreeVersion, writePieces, writeText, writeTreeAtomic } from '../../src/freeswitch/write-tree';
import { sftpServerAvailable, startSftpServer } from '../fakes/sftp-server';

const tree = (tag: string) =>
  new Map([
    ['freeswitch.xml', `<document>${tag}</document>\n`],
    ['directory/acme.test/101.xml', `<include>${tag}</include>\n`],
  ]);

describe('writeTreeAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-tree-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a tree behind a symlink and replaces it on the next export', () => {
    const out = join(dir, 'conf');
    writeTreeAtomic(out, tree('one'));
    expect(lstatSync(out).isSymbolicLink()).to.equal(true);
    expect(readFileSync(join(out, 'directory/acme.test/101.xml'), 'utf8')).to.contain('one');
    writeTreeAtomic(out, tree('two'));
    expect(readFileSync(join(out, 'freeswitch.xml'), 'utf8')).to.contain('two');
  });

  it('writes big files in pieces, byte for byte, without splitting a character between pieces', () => {
    // Four-byte characters (surrogate pairs) straddling piece boundaries, and a file of several pieces.
    const text = `${'x'.repeat(5)}😀ü€${'y'.repeat(3)}😀${'z'.repeat(2_500_000)}😀end\n`;
    const path = join(dir, 'big.txt');
    const fd = openSync(path, 'w');
    try {
      writeText(fd, text, 6); // tiny pieces: the first pairs land on boundaries
      writeText(fd, text); // default pieces
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).to.equal(text + text);
    expect(readFileSync(path).equals(Buffer.from(text + text))).to.equal(true);
  });

  it('writes a file given as pieces through one buffer, byte for byte: small, multi-byte and oversized pieces', () => {
    const pieces = [
      '<include>\n',
      'ü€😀',
      ...Array.from({ length: 2000 }, (_, i) => `  <x n="${i}" v="é"/>\n`),
      'y'.repeat(100),
    ];
    const big = 'z'.repeat(40) + '😀'.repeat(10);
    const path = join(dir, 'pieces.txt');
    const fd = openSync(path, 'w');
    try {
      writePieces(fd, [...pieces, big, ...pieces], 64); // a 64-byte buffer: flushes often, `big` goes around it
      writePieces(fd, pieces); // the default buffer
      writePieces(fd, []);
    } finally {
      closeSync(fd);
    }
    const expected = [...pieces, big, ...pieces, ...pieces].join('');
    expect(readFileSync(path).equals(Buffer.from(expected))).to.equal(true);
    const out = join(dir, 'conf');
    writeTreeAtomic(
      out,
      new Map<string, FileText>([
        ['dialplan/x/10_all.xml', pieces],
        ['vars.xml', 'v\n'],
      ]),
    );
    expect(readFileSync(join(out, 'dialplan/x/10_all.xml'), 'utf8')).to.equal(pieces.join(''));
    expect(readFileSync(join(out, 'vars.xml'), 'utf8')).to.equal('v\n');
  });

  it('leaves the previous tree intact when the export dies half-way', () => {
    const out = join(dir, 'conf');
    writeTreeAtomic(out, tree('good'));
    const before = currentTreeVersion(out);
    expect(() =>
      writeTreeAtomic(out, tree('bad'), {
        afterFile: (_p, i) => {
          if (i === 0) throw new Error('simulated crash');
        },
      }),
    ).to.throw('simulated crash');
    expect(currentTreeVersion(out)).to.equal(before);
    expect(readFileSync(join(out, 'freeswitch.xml'), 'utf8')).to.contain('good');
    expect(readdirSync(`${out}.versions`).filter((n) => n.startsWith('.staging'))).to.deep.equal([]);
  });

  it('moves an existing real directory aside once, keeps at most N versions', () => {
    const out = join(dir, 'conf');
    mkdirSync(out);
    writeFileSync(join(out, 'old.xml'), '<old/>');
    for (let i = 0; i < 5; i++) writeTreeAtomic(out, tree(`v${i}`), { keep: 2 });
    const versions = readdirSync(`${out}.versions`);
    expect(versions.filter((n) => n.startsWith('original-'))).to.have.length(1);
    expect(versions.filter((n) => !n.startsWith('original-'))).to.have.length(2);
    expect(existsSync(join(out, 'old.xml'))).to.equal(false);
  });

  it('refuses unsafe paths and writes nothing', () => {
    const out = join(dir, 'conf');
    expect(() => writeTreeAtomic(out, new Map([['../escape.xml', 'x']]))).to.throw('unsafe path');
    expect(existsSync(out)).to.equal(false);
    expect(existsSync(join(dir, 'escape.xml'))).to.equal(false);
  });
});

describe('pushTreeSftp (real SFTP server on loopback)', function () {
  this.timeout(30000);
  let dir: string;
  before(function () {
    if (!sftpServerAvailable()) this.skip();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-sftp-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uploads the tree and swaps the remote symlink atomically', async () => {
    const server = await startSftpServer();
    try {
      const remoteDir = join(dir, 'freeswitch-conf');
      const target = {
        host: '127.0.0.1',
        port: server.port,
        username: server.username,
        password: server.password,
        remoteDir,
      };
      await pushTreeSftp(target, tree('first'));
      expect(readFileSync(join(remoteDir, 'directory/acme.test/101.xml'), 'utf8')).to.contain('first');
      await pushTreeSftp(target, tree('second'));
      expect(lstatSync(remoteDir).isSymbolicLink()).to.equal(true);
      expect(readFileSync(join(remoteDir, 'freeswitch.xml'), 'utf8')).to.contain('second');
      const bad = await pushTreeSftp({ ...target, password: 'wrong-password' }, tree('x')).catch((e) => e);
      expect(bad).to.be.instanceOf(Error);
      expect(readFileSync(join(remoteDir, 'freeswitch.xml'), 'utf8')).to.contain('second');
    } finally {
      await server.close();
    }
  });
});
