// Test audio made by code: WAVs of every codec the upload pipeline takes (and some it refuses), with encoders for
// G.711 and IMA ADPCM written from the specifications, so the tests need no tool and no binary fixture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type WavCodec = 'pcm' | 'float' | 'alaw' | 'ulaw' | 'ima';

export interface WavSpec {
  rate?: number;
  channels?: number;
  /** Bits per stored sample: 8/16/24/32 for PCM, 32/64 for float (ignored for G.711 and IMA). */
  bits?: number;
  codec?: WavCodec;
  seconds?: number;
  /** Tone frequency in Hz; 0 makes digital silence. */
  freq?: number;
  /** Peak level, 0..1. */
  level?: number;
  /** Write WAVE_FORMAT_EXTENSIBLE instead of the plain format tag. */
  extensible?: boolean;
  /** Chunks written before the data chunk (e.g. LIST). */
  before?: Buffer[];
}

/** A sine (the same on every channel, so averaging channels gives it back). */
export function tone(spec: WavSpec): Float64Array {
  const rate = spec.rate ?? 8000;
  const n = Math.round((spec.seconds ?? 0.5) * rate);
  const out = new Float64Array(n);
  const freq = spec.freq ?? 440;
  const level = spec.level ?? 0.5;
  for (let i = 0; i < n; i++) out[i] = freq ? level * Math.sin((2 * Math.PI * freq * i) / rate) : 0;
  return out;
}

const to16 = (x: number) => Math.max(-32768, Math.min(32767, Math.round(x * 32767)));

/** ITU-T G.711 µ-law encoder (the classic Sun reference). */
export function linearToUlaw(pcm: number): number {
  const BIAS = 0x84;
  let mask = 0xff;
  let v = pcm >> 2;
  if (v < 0) {
    v = -v;
    mask = 0x7f;
  }
  v = Math.min(v, 8159) + (BIAS >> 2);
  let seg = 0;
  for (let t = v >> 6; t; t >>= 1) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 1)) & 0xf)) ^ mask;
}

/** ITU-T G.711 A-law encoder. */
export function linearToAlaw(pcm: number): number {
  let v = pcm >> 3;
  let mask: number;
  if (v >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    v = -v - 1;
  }
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let seg = ends.findIndex((e) => v <= e);
  if (seg < 0) seg = 8;
  if (seg >= 8) return 0x7f ^ mask;
  const aval = seg << 4;
  return (aval | ((seg < 2 ? v >> 1 : v >> seg) & 0xf)) ^ mask;
}

const IMA_INDEX = [-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8];
const IMA_STEP = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118,
  130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060,
  1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484,
  7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];

/** IMA ADPCM blocks as WAV (0x11) lays them out, 256 bytes per channel per block. */
function imaEncode(samples: Int16Array, channels: number): { data: Buffer; blockAlign: number; perBlock: number } {
  const blockAlign = 256 * channels;
  const perBlock = ((blockAlign - 4 * channels) * 2) / channels + 1;
  const frames = samples.length / channels;
  const blocks = Math.ceil(frames / perBlock);
  const data = Buffer.alloc(blocks * blockAlign);
  for (let b = 0; b < blocks; b++) {
    const base = b * blockAlign;
    for (let c = 0; c < channels; c++) {
      const at = (i: number) => samples[Math.min(frames - 1, b * perBlock + i) * channels + c];
      let pred = at(0);
      let index = 0;
      data.writeInt16LE(pred, base + c * 4);
      data[base + c * 4 + 2] = index;
      for (let i = 1; i < perBlock; i++) {
        const step = IMA_STEP[index];
        let diff = at(i) - pred;
        let nib = 0;
        if (diff < 0) {
          nib = 8;
          diff = -diff;
        }
        if (diff >= step) {
          nib |= 4;
          diff -= step;
        }
        if (diff >= step >> 1) {
          nib |= 2;
          diff -= step >> 1;
        }
        if (diff >= step >> 2) nib |= 1;
        let d = step >> 3;
        if (nib & 1) d += step >> 2;
        if (nib & 2) d += step >> 1;
        if (nib & 4) d += step;
        pred = Math.max(-32768, Math.min(32767, nib & 8 ? pred - d : pred + d));
        index = Math.max(0, Math.min(88, index + IMA_INDEX[nib]));
        const k = i - 1;
        const group = k >> 3;
        const byte = base + 4 * channels + group * 4 * channels + c * 4 + ((k & 7) >> 1);
        data[byte] |= (k & 1 ? nib << 4 : nib) & 0xff;
      }
    }
  }
  return { data, blockAlign, perBlock };
}

export function chunk(id: string, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.write(id, 0, 'latin1');
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** A complete WAV file of a tone in the given format. */
export function wav(spec: WavSpec = {}): Buffer {
  const rate = spec.rate ?? 8000;
  const channels = spec.channels ?? 1;
  const codec = spec.codec ?? 'pcm';
  const mono = tone(spec);
  const ints = new Int16Array(mono.length * channels);
  for (let i = 0; i < mono.length; i++) for (let c = 0; c < channels; c++) ints[i * channels + c] = to16(mono[i]);
  let tag = 1;
  let bits = spec.bits ?? 16;
  let data: Buffer;
  let blockAlign: number;
  let extra = Buffer.alloc(0);
  if (codec === 'pcm') {
    const w = bits / 8;
    data = Buffer.alloc(ints.length * w);
    for (let i = 0; i < ints.length; i++) {
      const v = mono[Math.floor(i / channels)];
      if (bits === 8) data[i] = Math.max(0, Math.min(255, Math.round(v * 127) + 128));
      else if (bits === 16) data.writeInt16LE(ints[i], i * 2);
      else if (bits === 24) data.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(v * 8388607))), i * 3, 3);
      else data.writeInt32LE(Math.max(-2147483648, Math.min(2147483647, Math.round(v * 2147483647))), i * 4);
    }
    blockAlign = channels * w;
  } else if (codec === 'float') {
    tag = 3;
    const w = bits / 8;
    data = Buffer.alloc(ints.length * w);
    for (let i = 0; i < ints.length; i++) {
      const v = mono[Math.floor(i / channels)];
      if (bits === 32) data.writeFloatLE(v, i * 4);
      else data.writeDoubleLE(v, i * 8);
    }
    blockAlign = channels * w;
  } else if (codec === 'alaw' || codec === 'ulaw') {
    tag = codec === 'alaw' ? 6 : 7;
    bits = 8;
    data = Buffer.from(Array.from(ints, (s) => (codec === 'alaw' ? linearToAlaw(s) : linearToUlaw(s))));
    blockAlign = channels;
  } else {
    tag = 0x11;
    bits = 4;
    const enc = imaEncode(ints, channels);
    data = enc.data;
    blockAlign = enc.blockAlign;
    extra = Buffer.alloc(2);
    extra.writeUInt16LE(enc.perBlock, 0);
  }
  const byteRate = codec === 'ima' ? Math.round((rate * blockAlign) / (extra.readUInt16LE(0) || 1)) : rate * blockAlign;
  let fmt: Buffer;
  if (spec.extensible) {
    fmt = Buffer.alloc(40);
    fmt.writeUInt16LE(0xfffe, 0);
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits, 18);
    fmt.writeUInt32LE(channels === 1 ? 4 : 3, 20);
    fmt.writeUInt16LE(tag, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmt, 26);
  } else {
    fmt = Buffer.alloc(extra.length ? 18 + extra.length : 16);
    fmt.writeUInt16LE(tag, 0);
    if (extra.length) {
      fmt.writeUInt16LE(extra.length, 16);
      extra.copy(fmt, 18);
    }
  }
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(byteRate, 8);
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(bits, 14);
  const body = Buffer.concat([
    Buffer.from('WAVE', 'latin1'),
    chunk('fmt ', fmt),
    ...(spec.before ?? []),
    chunk('data', data),
  ]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** The 16-bit mono samples of a canonical WAV (what the pipeline stores). */
export function canonicalSamples(file: Buffer): Int16Array {
  const out = new Int16Array((file.length - 44) / 2);
  for (let i = 0; i < out.length; i++) out[i] = file.readInt16LE(44 + i * 2);
  return out;
}

/** The committed MP3 fixtures (made by test/fixtures/audio/make-mp3.sh with LAME from WAVs of this file). */
export const MP3_FIXTURES = [
  'tone-8k-mono.mp3',
  'tone-22k-mono.mp3',
  'tone-44k-stereo.mp3',
  'tone-48k-stereo-vbr.mp3',
  'tone-44k-tagged.mp3',
] as const;

export function mp3Fixture(name: (typeof MP3_FIXTURES)[number]): Buffer {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'audio', name));
}
