// The upload content check, as a table: which files are taken (and what is stored for them), which are refused and
// with what message. Every WAV is made by code; MP3s are the committed LAME fixtures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AudioRejectedError } from '../../../src/domain/errors';
import { type AudioLimits, checkAndConvert, DEFAULT_AUDIO_LIMITS } from '../../../src/services/audio/audio-check';
import { frameHeader } from '../../../src/services/audio/mp3-frames';
import { sha256Hex } from '../../../src/services/secrets';
import { canonicalSamples, chunk, MP3_FIXTURES, mp3Fixture, type WavSpec, wav } from '../../helpers/audio-files';

describe('audio content check', () => {
  let dir: string;
  let n = 0;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-audio-check-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the check on `bytes`; returns the result and the stored bytes. */
  async function check(bytes: Buffer, limits: AudioLimits = DEFAULT_AUDIO_LIMITS) {
    n++;
    const input = join(dir, `in-${n}`);
    const output = join(dir, `out-${n}`);
    writeFileSync(input, bytes);
    const result = await checkAndConvert(input, output, limits);
    return { result, stored: readFileSync(output) };
  }

  async function refused(bytes: Buffer, limits?: AudioLimits): Promise<string> {
    try {
      await check(bytes, limits);
    } catch (err) {
      expect(err).to.be.instanceOf(AudioRejectedError);
      expect((err as AudioRejectedError).fields).to.have.property('file');
      return (err as Error).message;
    }
    throw new Error('expected the file to be refused');
  }

  describe('WAVs are taken and stored as 16-bit PCM mono at their own rate', () => {
    const cases: Array<[string, WavSpec]> = [
      ['8 kHz mono 16-bit PCM', { rate: 8000 }],
      ['16 kHz mono 16-bit PCM', { rate: 16000 }],
      ['44.1 kHz stereo 16-bit PCM', { rate: 44100, channels: 2 }],
      ['48 kHz stereo 16-bit PCM', { rate: 48000, channels: 2 }],
      ['8 kHz mono 8-bit PCM', { rate: 8000, bits: 8 }],
      ['48 kHz stereo 24-bit PCM', { rate: 48000, channels: 2, bits: 24 }],
      ['48 kHz stereo 24-bit PCM, extensible header', { rate: 48000, channels: 2, bits: 24, extensible: true }],
      ['44.1 kHz stereo 32-bit PCM', { rate: 44100, channels: 2, bits: 32 }],
      ['8 kHz mono 32-bit float', { rate: 8000, codec: 'float', bits: 32 }],
      ['44.1 kHz stereo 64-bit float', { rate: 44100, channels: 2, codec: 'float', bits: 64 }],
      ['8 kHz mono µ-law', { rate: 8000, codec: 'ulaw' }],
      ['8 kHz mono A-law', { rate: 8000, codec: 'alaw' }],
      ['16 kHz stereo µ-law', { rate: 16000, channels: 2, codec: 'ulaw' }],
      ['8 kHz mono IMA ADPCM', { rate: 8000, codec: 'ima' }],
      ['44.1 kHz stereo IMA ADPCM', { rate: 44100, channels: 2, codec: 'ima' }],
      ['6 channels 16-bit PCM', { rate: 8000, channels: 6 }],
      [
        'with a LIST chunk before the sound',
        { before: [chunk('LIST', Buffer.from('INFOINAM\x05\x00\x00\x00Hello\x00'))] },
      ],
    ];
    for (const [name, spec] of cases)
      it(name, async () => {
        const { result, stored } = await check(wav({ seconds: 0.5, ...spec }));
        const rate = spec.rate ?? 8000;
        expect(result.format).to.equal('wav');
        expect(result.durationMs).to.be.within(495, 540);
        expect(result.sizeBytes).to.equal(stored.length);
        expect(result.sha256).to.equal(sha256Hex(stored));
        // Canonical header: PCM, mono, the input's rate, 16 bits; nothing but fmt and data.
        expect(stored.toString('latin1', 0, 4)).to.equal('RIFF');
        expect(stored.readUInt32LE(4)).to.equal(stored.length - 8);
        expect(stored.readUInt16LE(20)).to.equal(1);
        expect(stored.readUInt16LE(22)).to.equal(1);
        expect(stored.readUInt32LE(24)).to.equal(rate);
        expect(stored.readUInt16LE(34)).to.equal(16);
        expect(stored.toString('latin1', 36, 40)).to.equal('data');
        // The tone survives at the level it was recorded (channels averaged, not summed; float not normalised).
        const samples = canonicalSamples(stored);
        const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
        expect(peak / 32767, 'peak level').to.be.within(0.44, 0.56);
      });

    it('a mono 16-bit PCM WAV keeps its samples bit for bit', async () => {
      const input = wav({ rate: 16000, seconds: 0.3 });
      const { stored } = await check(input);
      expect(stored.subarray(44).equals(input.subarray(44))).to.equal(true);
    });

    it('stereo channels are averaged: left and right of opposite sign cancel, they are not summed and clipped', async () => {
      const input = wav({ rate: 8000, channels: 2, seconds: 0.3, level: 0.9 });
      // Right channel = half the left: the average is 0.75 of the left, below full scale.
      for (let o = 44; o < input.length; o += 4) input.writeInt16LE(Math.round(input.readInt16LE(o) / 2), o + 2);
      const samples = canonicalSamples((await check(input)).stored);
      const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
      expect(peak / 32767).to.be.within(0.65, 0.7);
    });

    it('a WAV whose last frame is cut short loses only that frame', async () => {
      const input = wav({ rate: 8000, channels: 2, seconds: 0.5 });
      const cut = Buffer.concat([input, Buffer.from([1, 2])]);
      cut.writeUInt32LE(cut.length - 8, 4);
      cut.writeUInt32LE(cut.readUInt32LE(40) + 2, 40);
      const { result } = await check(cut);
      expect(result.durationMs).to.equal(500);
    });
  });

  describe('MP3s are taken as their frames only', () => {
    for (const name of MP3_FIXTURES)
      it(name, async () => {
        const input = mp3Fixture(name);
        const { result, stored } = await check(input);
        expect(result.format).to.equal('mp3');
        expect(result.durationMs).to.be.within(450, 650);
        expect(frameHeader(stored, 0), 'starts with a frame').to.not.equal(null);
        expect(stored.includes('ID3'), 'no ID3v2 tag').to.equal(false);
        expect(stored.subarray(-128).toString('latin1', 0, 3)).to.not.equal('TAG');
        expect(stored.includes('tune'), 'no tag text').to.equal(false);
        expect(result.sha256).to.equal(sha256Hex(stored));
      });

    it('an untagged MP3 is stored byte for byte', async () => {
      const input = mp3Fixture('tone-44k-stereo.mp3');
      expect((await check(input)).stored.equals(input)).to.equal(true);
    });

    it('a last frame cut short is dropped', async () => {
      const input = mp3Fixture('tone-44k-stereo.mp3');
      const { stored } = await check(input.subarray(0, input.length - 50));
      expect(stored.length).to.be.lessThan(input.length - 50);
      expect(input.subarray(0, stored.length).equals(stored)).to.equal(true);
    });
  });

  describe('refused, with a message saying why', () => {
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n');
    const mp3 = () => mp3Fixture('tone-44k-stereo.mp3');
    const good = () => wav({ seconds: 0.5 });
    const withHeader = (mutate: (b: Buffer) => void) => {
      const b = good();
      mutate(b);
      return b;
    };
    const table: Array<[string, () => Buffer, RegExp, AudioLimits?]> = [
      ['an empty file', () => Buffer.alloc(0), /empty/],
      ['an HTML page renamed .mp3', () => html, /web page or script/],
      ['a PHP script renamed .wav', () => Buffer.from('<?php system($_GET["c"]); ?>'), /web page or script/],
      ['plain text', () => Buffer.from('just some words, not sound at all\n'.repeat(20)), /not an audio file/],
      [
        'random bytes',
        () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
        /not an audio file/,
      ],
      ['a WAV with a web page glued behind it', () => Buffer.concat([good(), html]), /web page or script/],
      [
        'an MP3 with a script in its ID3 tag',
        () => Buffer.concat([id3('<script src=//x>'), mp3()]),
        /web page or script/,
      ],
      [
        'a WAV with other bytes glued behind it',
        () => Buffer.concat([good(), Buffer.alloc(4000, 7)]),
        /after the end of the WAV/,
      ],
      [
        'a PDF/WAV polyglot',
        () => Buffer.concat([good().subarray(0, 44), Buffer.from('%PDF-1.7\n'), good().subarray(44)]),
        /PDF/,
      ],
      ['a WAV whose header claims more bytes than it has', () => good().subarray(0, 3000), /truncated or damaged/],
      [
        'a WAV whose data chunk claims more than the file holds',
        () => withHeader((b) => b.writeUInt32LE(b.readUInt32LE(40) + 1000, 40)),
        /more than the file has/,
      ],
      [
        'a streamed WAV with unknown length',
        () => withHeader((b) => b.writeUInt32LE(0xffffffff, 40)),
        /more than the file has/,
      ],
      ['a WAV with no sound', () => wav({ seconds: 0 }), /no sound/],
      ['a silent WAV', () => wav({ seconds: 1, freq: 0 }), /silent/],
      ['a WAV of 5 ms', () => wav({ seconds: 0.005 }), /shorter than a tenth/],
      ['a big-endian RIFX WAV', () => withHeader((b) => b.write('RIFX', 0, 'latin1')), /big-endian/],
      ['an RF64 WAV', () => withHeader((b) => b.write('RF64', 0, 'latin1')), /RF64/],
      [
        'a Microsoft ADPCM WAV',
        () => withHeader((b) => b.writeUInt16LE(2, 20)),
        /Microsoft ADPCM.*16-bit PCM WAV or an MP3/,
      ],
      ['a GSM 6.10 WAV', () => withHeader((b) => b.writeUInt16LE(0x31, 20)), /GSM 6\.10/],
      ['an MP3 inside a WAV', () => withHeader((b) => b.writeUInt16LE(0x55, 20)), /MP3 audio/],
      ['12-bit PCM', () => withHeader((b) => b.writeUInt16LE(12, 34)), /12-bit PCM/],
      ['a WAV at 4 kHz', () => wav({ rate: 4000 }), /4000 Hz/],
      ['a WAV at 1 MHz', () => wav({ rate: 1_000_000, seconds: 0.01 }), /1000000 Hz/],
      ['a WAV with 9 channels', () => wav({ channels: 9 }), /9 channels/],
      ['a WAV whose block size contradicts its format', () => withHeader((b) => b.writeUInt16LE(4, 32)), /contradicts/],
      ['an MP3 with junk between its frames', () => junkInside(mp3()), /not MP3 frames/],
      [
        'an MP3 with another file behind it',
        () => Buffer.concat([mp3(), Buffer.from('PK\x03\x04 some zip')]),
        /not MP3 frames/,
      ],
      ['MPEG layer II (.mp2)', () => toLayer2(mp3()), /Layer 2.*not MP3|layer II/i],
      ['an ID3 tag with nothing after it', () => id3('Song'), /not an audio file|does not hold MP3/],
      ['a FLAC file', flac, /FLAC.*not MP3 or WAV/],
      [
        'a recording longer than allowed',
        () => wav({ seconds: 3 }),
        /at most/,
        { ...DEFAULT_AUDIO_LIMITS, maxDurationMs: 2000 },
      ],
      [
        'a WAV that is too big once converted to 16-bit',
        () => wav({ seconds: 1, codec: 'ulaw' }),
        /takes .* MB, more than/,
        { ...DEFAULT_AUDIO_LIMITS, maxBytes: 10_000 },
      ],
    ];
    for (const [name, make, message, limits] of table)
      it(name, async () => {
        expect(await refused(make(), limits)).to.match(message);
      });
  });
});

/** An ID3v2.3 tag with one title frame. */
function id3(title: string): Buffer {
  const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, 'latin1')]);
  const frame = Buffer.concat([Buffer.from('TIT2', 'latin1'), u32be(text.length), Buffer.from([0, 0]), text]);
  const size = frame.length;
  const header = Buffer.from([
    0x49,
    0x44,
    0x33,
    3,
    0,
    0,
    (size >> 21) & 127,
    (size >> 14) & 127,
    (size >> 7) & 127,
    size & 127,
  ]);
  return Buffer.concat([header, frame]);
}

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** Ten bytes of junk after the third frame. */
function junkInside(mp3: Buffer): Buffer {
  let o = 0;
  for (let i = 0; i < 3; i++) o += frameHeader(mp3, o)?.length ?? 0;
  return Buffer.concat([mp3.subarray(0, o), Buffer.from('0123456789'), mp3.subarray(o)]);
}

/** The same stream with every frame header saying layer II. */
function toLayer2(mp3: Buffer): Buffer {
  const out = Buffer.from(mp3);
  for (let o = 0; o < out.length; ) {
    const h = frameHeader(out, o);
    if (!h?.length) break;
    out[o + 1] = (out[o + 1] & ~0x06) | 0x04;
    o += h.length;
  }
  return out;
}

/** A minimal FLAC stream: the marker and a STREAMINFO block (44.1 kHz stereo 16-bit, one second). */
function flac(): Buffer {
  const info = Buffer.alloc(34);
  info.writeUInt16BE(4096, 0);
  info.writeUInt16BE(4096, 2);
  // sample rate (20 bits) 44100, channels-1 (3 bits) 1, bits-1 (5 bits) 15, total samples (36 bits) 44100
  const rate = 44100;
  info[10] = (rate >> 12) & 0xff;
  info[11] = (rate >> 4) & 0xff;
  info[12] = ((rate & 0xf) << 4) | (1 << 1) | (15 >> 4);
  info[13] = ((15 & 0xf) << 4) | 0;
  info.writeUInt32BE(44100, 14);
  const header = Buffer.from([0x80, 0, 0, 34]);
  return Buffer.concat([Buffer.from('fLaC', 'latin1'), header, info, Buffer.alloc(64)]);
}
