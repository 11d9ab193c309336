// The ESL frame parser against every captured FreeSWITCH 1.10.12 byte stream, whole and in every chunking.

import { expect } from 'chai';
import { EslProtocolError } from '../../src/freeswitch/event-socket/errors';
import { contentTypeOf, type EslFrame, encodeFrame } from '../../src/freeswitch/event-socket/frame';
import { EslFrameParser } from '../../src/freeswitch/event-socket/frame-parser';
import { eslFixtureTable, listEslFixtures, readEslFixture } from '../fakes/esl-fixtures';

const FILES = listEslFixtures();

/** Deterministic PRNG (mulberry32) so random chunkings are reproducible. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseWhole(bytes: Buffer): EslFrame[] {
  return new EslFrameParser().push(bytes);
}

function parseChunks(chunks: Buffer[]): { frames: EslFrame[]; left: number } {
  const parser = new EslFrameParser();
  const frames: EslFrame[] = [];
  for (const chunk of chunks) frames.push(...parser.push(chunk));
  return { frames, left: parser.bufferedBytes };
}

function reencode(frames: EslFrame[]): Buffer {
  return Buffer.concat(frames.map((f) => encodeFrame(f.headers, f.body)));
}

function expectedTypes(file: string): string[] {
  if (file === 'esl-greeting.txt') return ['auth/request'];
  if (file === 'esl-auth-fail.txt' || file === 'esl-exit.txt') return ['command/reply', 'text/disconnect-notice'];
  if (file.startsWith('esl-api-')) return ['api/response'];
  if (file === 'esl-event-json-CHANNEL_ANSWER.txt') return ['text/event-json'];
  if (file === 'esl-bgapi-status-BACKGROUND_JOB.txt') return ['text/event-plain'];
  if (/^esl-event-plain-(?!.*subscribe).*\.txt$/.test(file)) return ['text/event-plain'];
  return ['command/reply'];
}

describe('ESL frame parser', () => {
  it('has fixtures to test, and the README table names every one of them exactly once', () => {
    expect(FILES.length).to.be.greaterThan(100);
    const tableFiles = eslFixtureTable().map((row) => row.file);
    expect([...tableFiles].sort()).to.deep.equal(FILES);
  });

  describe('each fixture parsed whole', () => {
    for (const file of FILES) {
      it(`${file}: complete frames, nothing left over, re-encodes to the same bytes`, () => {
        const bytes = readEslFixture(file);
        const parser = new EslFrameParser();
        const frames = parser.push(bytes);
        expect(parser.bufferedBytes, 'bytes left in the parser').to.equal(0);
        expect(reencode(frames).equals(bytes), 'byte-for-byte round trip').to.equal(true);
        const types = [...new Set(frames.map(contentTypeOf))];
        expect(types).to.deep.equal(expectedTypes(file));
        if (file === 'esl-event-plain-stream-answered-call.txt') expect(frames).to.have.length(107);
        else expect(frames).to.have.length(expectedTypes(file).length);
      });
    }
  });

  describe('each fixture fed one byte at a time (a split at every boundary at once)', () => {
    for (const file of FILES) {
      it(file, () => {
        const bytes = readEslFixture(file);
        const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        const { frames, left } = parseChunks(chunks);
        expect(left).to.equal(0);
        expect(reencode(frames).equals(bytes)).to.equal(true);
        expect(frames).to.deep.equal(parseWhole(bytes));
      });
    }
  });

  describe('each fixture split in two at every byte offset', () => {
    // Files over 16 KiB (show api json, the 541 KB call stream) are cut within 2 bytes of every frame start and
    // every header/body boundary, and every 1009th byte elsewhere; byte-at-a-time already covers every offset.
    function cuts(bytes: Buffer): number[] {
      const all = Array.from({ length: bytes.length + 1 }, (_, i) => i);
      if (bytes.length <= 16 * 1024) return all;
      const marks: number[] = [];
      let at = 0;
      for (const frame of parseWhole(bytes)) {
        const head = encodeFrame(frame.headers).length;
        marks.push(at, at + head);
        at += head + frame.body.length;
      }
      marks.push(bytes.length);
      return all.filter((i) => i % 1009 === 0 || marks.some((m) => Math.abs(m - i) <= 2));
    }
    for (const file of FILES) {
      it(file, () => {
        const bytes = readEslFixture(file);
        const whole = parseWhole(bytes);
        for (const cut of cuts(bytes)) {
          const { frames, left } = parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
          if (left !== 0 || frames.length !== whole.length || !reencode(frames).equals(bytes)) {
            expect.fail(`split at byte ${cut} of ${bytes.length} changed the frames`);
          }
        }
      });
    }
  });

  it('parses every fixture concatenated into one stream, in 40 random chunkings', () => {
    const stream = Buffer.concat(FILES.map(readEslFixture));
    const expected = parseWhole(stream);
    expect(reencode(expected).equals(stream)).to.equal(true);
    const random = prng(0xd1a170e);
    for (let round = 0; round < 40; round++) {
      const maxChunk = 1 + Math.floor(random() * (round % 2 ? 64 : 9000));
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; ) {
        const size = 1 + Math.floor(random() * maxChunk);
        chunks.push(stream.subarray(at, at + size));
        at += size;
      }
      const { frames, left } = parseChunks(chunks);
      expect(left).to.equal(0);
      expect(frames.length).to.equal(expected.length);
      expect(reencode(frames).equals(stream), `round ${round}`).to.equal(true);
    }
  });

  it('keeps api/response bodies exactly, including the ones without a final newline', () => {
    const [contact] = parseWhole(readEslFixture('esl-api-sofia_contact-unregistered.txt'));
    expect(contact!.body.toString()).to.equal('error/user_not_registered');
    const [status] = parseWhole(readEslFixture('esl-api-callcenter_config-agent_get_status-break.txt'));
    expect(status!.body.toString()).to.equal('On Break');
    const [empty] = parseWhole(readEslFixture('esl-api-vm_list-empty.txt'));
    expect(empty!.body.toString()).to.equal('-ERR no reply\n');
  });

  it('reads header order as sent: api/response Content-Type first, events Content-Length first', () => {
    const [api] = parseWhole(readEslFixture('esl-api-reloadxml.txt'));
    expect(api!.headers.map((h) => h.name)).to.deep.equal(['Content-Type', 'Content-Length']);
    const [event] = parseWhole(readEslFixture('esl-event-plain-HEARTBEAT.txt'));
    expect(event!.headers.map((h) => h.name)).to.deep.equal(['Content-Length', 'Content-Type']);
  });

  it('returns the bgapi command/reply headers including Job-UUID', () => {
    const [reply] = parseWhole(readEslFixture('esl-bgapi-status-reply.txt'));
    expect(reply!.headers).to.deep.equal([
      { name: 'Content-Type', value: 'command/reply' },
      { name: 'Reply-Text', value: '+OK Job-UUID: f87416f5-7452-46f9-92b1-b7008722350a' },
      { name: 'Job-UUID', value: 'f87416f5-7452-46f9-92b1-b7008722350a' },
    ]);
  });

  it('skips stray blank lines between frames', () => {
    const bytes = Buffer.concat([Buffer.from('\n\n'), readEslFixture('esl-auth-ok.txt'), Buffer.from('\n')]);
    const parser = new EslFrameParser();
    const frames = parser.push(bytes);
    expect(frames).to.have.length(1);
    expect(parser.bufferedBytes).to.equal(0);
  });

  it('parses a text/rude-rejection frame (ACL refusal) like any other', () => {
    const bytes = Buffer.from('Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n');
    const [frame] = parseWhole(bytes);
    expect(contentTypeOf(frame!)).to.equal('text/rude-rejection');
    expect(frame!.body.toString()).to.equal('Access Denied, go away.\n');
  });

  describe('broken streams', () => {
    const cases: Array<[string, string]> = [
      ['a header line without a colon', 'Content-Type api/response\n\n'],
      ['a non-numeric Content-Length', 'Content-Type: api/response\nContent-Length: 12a\n\nxx'],
      ['a negative Content-Length', 'Content-Type: api/response\nContent-Length: -1\n\n'],
      ['a Content-Length over the limit', 'Content-Type: api/response\nContent-Length: 999999999\n\n'],
    ];
    for (const [what, text] of cases) {
      it(`throws EslProtocolError on ${what}`, () => {
        expect(() => new EslFrameParser({ maxBodyBytes: 1024 * 1024 }).push(Buffer.from(text))).to.throw(
          EslProtocolError,
        );
      });
    }

    it('throws EslProtocolError when a header block never ends', () => {
      const parser = new EslFrameParser({ maxHeaderBytes: 256 });
      expect(() => {
        for (let i = 0; i < 100; i++) parser.push(Buffer.from('X-Junk: yes\n'));
      }).to.throw(EslProtocolError);
    });
  });
});
