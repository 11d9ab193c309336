// Option negotiation (RFC 2347/2348/2349) and the filename allow-list: pure tables.
import { expect } from 'chai';
import { checkFilename } from '../../../src/servers/tftp/filename';
import { negotiate } from '../../../src/servers/tftp/options';
import type { TftpOption } from '../../../src/servers/tftp/packet';

const opts = (...pairs: [string, string][]): TftpOption[] => pairs.map(([name, value]) => ({ name, value }));

describe('tftp option negotiation', () => {
  const limits = { maxBlksize: 1468 };

  it('without options: 512-byte blocks, no OACK', () => {
    expect(negotiate([], 100, limits)).to.deep.equal({
      blksize: 512,
      timeoutMs: undefined,
      windowsize: 1,
      accepted: [],
      ignored: [],
    });
  });

  it('honours blksize 1428 and 8, answers tsize with the real size and echoes timeout', () => {
    const n = negotiate(opts(['blksize', '1428'], ['tsize', '0'], ['timeout', '3']), 41943040, limits);
    expect(n.blksize).to.equal(1428);
    expect(n.timeoutMs).to.equal(3000);
    expect(n.accepted).to.deep.equal(opts(['blksize', '1428'], ['tsize', '41943040'], ['timeout', '3']));
    expect(negotiate(opts(['blksize', '8']), 1, limits).blksize).to.equal(8);
  });

  it('clamps a large blksize to the configured maximum and never past 65464', () => {
    expect(negotiate(opts(['blksize', '65464']), 1, limits).accepted).to.deep.equal(opts(['blksize', '1468']));
    expect(negotiate(opts(['blksize', '9000']), 1, { maxBlksize: 100000 }).blksize).to.equal(9000);
    expect(negotiate(opts(['blksize', '70000']), 1, { maxBlksize: 100000 }).blksize).to.equal(65464);
  });

  it('matches names case-insensitively and echoes them as sent; the first occurrence wins', () => {
    const n = negotiate(opts(['BlkSize', '1024'], ['blksize', '8']), 1, limits);
    expect(n.blksize).to.equal(1024);
    expect(n.accepted).to.deep.equal(opts(['BlkSize', '1024']));
    expect(n.ignored).to.deep.equal(opts(['blksize', '8']));
  });

  const ignoredCases: [string, string][] = [
    ['blksize', '7'],
    ['blksize', '0'],
    ['blksize', '-512'],
    ['blksize', '1e3'],
    ['blksize', ''],
    ['blksize', ' 512'],
    ['timeout', '0'],
    ['timeout', '256'],
    ['timeout', '1.5'],
    ['tsize', 'abc'],
    ['windowsize', '0'],
    ['windowsize', '65536'],
    ['windowsize', 'x'],
    ['multicast', ''],
  ];
  for (const [name, value] of ignoredCases) {
    it(`leaves ${name}=${JSON.stringify(value)} out of the OACK`, () => {
      const n = negotiate(opts([name, value]), 10, limits);
      expect(n.accepted).to.deep.equal([]);
      expect(n.ignored).to.deep.equal(opts([name, value]));
      expect(n.blksize).to.equal(512);
      expect(n.timeoutMs).to.equal(undefined);
    });
  }

  it('grants windowsize (RFC 7440) up to the cap, answering the cap to a larger request; 1 means lock-step', () => {
    expect(negotiate(opts(['windowsize', '8']), 10, limits)).to.deep.include({
      windowsize: 8,
      accepted: opts(['windowsize', '8']),
    });
    expect(negotiate(opts(['windowsize', '500']), 10, limits)).to.deep.include({
      windowsize: 16,
      accepted: opts(['windowsize', '16']),
    });
    expect(negotiate(opts(['windowsize', '500']), 10, { ...limits, maxWindowsize: 64 }).windowsize).to.equal(64);
    expect(negotiate(opts(['windowsize', '1']), 10, limits).accepted).to.deep.equal(opts(['windowsize', '1']));
    expect(negotiate(opts(['windowsize', '8']), 10, { ...limits, maxWindowsize: 1 })).to.deep.include({
      windowsize: 1,
      accepted: [],
    });
    expect(negotiate([], 10, limits).windowsize).to.equal(1);
  });

  it('leaves tsize out for an empty file (curl refuses "tsize 0" in an OACK)', () => {
    expect(negotiate(opts(['tsize', '0'], ['blksize', '1428']), 0, limits).accepted).to.deep.equal(
      opts(['blksize', '1428']),
    );
    expect(negotiate(opts(['tsize', '0']), 0, limits).accepted).to.deep.equal([]);
  });

  it('accepts timeouts from 1 to the cap (10 s by default); a longer one is left out of the OACK', () => {
    expect(negotiate(opts(['timeout', '1']), 1, limits).timeoutMs).to.equal(1000);
    expect(negotiate(opts(['timeout', '10']), 1, limits).timeoutMs).to.equal(10_000);
    const asked255 = negotiate(opts(['timeout', '255'], ['blksize', '1428']), 1, limits);
    expect(asked255.timeoutMs, 'the server keeps its own timeout').to.equal(undefined);
    expect(asked255.accepted).to.deep.equal(opts(['blksize', '1428']));
    expect(asked255.ignored).to.deep.equal(opts(['timeout', '255']));
    expect(negotiate(opts(['timeout', '255']), 1, { ...limits, maxTimeoutSeconds: 255 }).timeoutMs).to.equal(255_000);
  });
});

describe('tftp filename allow-list', () => {
  const allowed = [
    '000000000000.cfg',
    '0004f2a1b2c3.cfg',
    '0004f2a1b2c3-directory.xml',
    'y000000000028.cfg',
    'sip.ld',
    '3111-48300-001.sip.ld',
    'T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom',
    'firmware/sip.ld',
    'polycom/firmware/sip.ld',
    'a..b',
    'x'.repeat(128),
  ];
  for (const name of allowed) {
    it(`allows ${name.slice(0, 60)}`, () => expect(checkFilename(name)).to.deep.equal({ ok: true }));
  }

  const refused = [
    '',
    '..',
    '.',
    '../etc/passwd',
    'firmware/../../etc/passwd',
    'a/../b',
    '/etc/passwd',
    '/sip.ld',
    '.hidden',
    'dir/.hidden',
    'a//b',
    'a/',
    'a\\b',
    '..\\..\\windows\\win.ini',
    'C:\\boot.ini',
    'a\nb',
    'a\rb',
    'a\tb',
    'a\x7fb',
    'a\x00b',
    'caf\u00e9.cfg',
    '\u00c3\u00a9.cfg',
    'a b',
    '${system(ls)}',
    'a|b',
    'a<b>',
    'a;rm',
    '%2e%2e/x',
    '-rf',
    'a/b/c/d',
    'x'.repeat(129),
    `${'a/'.repeat(2)}${'x'.repeat(300)}`,
  ];
  for (const name of refused) {
    it(`refuses ${JSON.stringify(name).slice(0, 60)}`, () => expect(checkFilename(name).ok).to.equal(false));
  }
});
