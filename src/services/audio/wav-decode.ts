// Sample decoders: whole blocks of a WAV's data chunk → 16-bit mono samples, channels averaged (never summed).
// Pure functions over buffers; wav-convert.ts streams the file through them.
import type { WavLayout } from './wav-layout';

/** G.711 µ-law byte → 16-bit linear (ITU-T G.711, as libsndfile and FreeSWITCH decode it). */
function ulawToLinear(u: number): number {
  const x = ~u & 0xff;
  const t = (((x & 0x0f) << 3) + 0x84) << ((x & 0x70) >> 4);
  return x & 0x80 ? 0x84 - t : t - 0x84;
}

/** G.711 A-law byte → 16-bit linear. */
function alawToLinear(a: number): number {
  const x = a ^ 0x55;
  let t = (x & 0x0f) << 4;
  const seg = (x & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return x & 0x80 ? t : -t;
}

const ULAW = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i));
const ALAW = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));

const IMA_INDEX = [-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8];
const IMA_STEP = [
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118,
  130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060,
  1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484,
  7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];

const clamp16 = (v: number) => Math.min(32767, Math.max(-32768, v));

/** Reads one channel sample of a PCM-like buffer at a byte offset, as a 16-bit value. */
function sampleReader(layout: WavLayout): (buf: Buffer, offset: number) => number {
  const { codec, bitsPerSample: bits } = layout;
  if (codec === 'ulaw') return (b, o) => ULAW[b[o]];
  if (codec === 'alaw') return (b, o) => ALAW[b[o]];
  if (codec === 'float') {
    // Clamped, not normalised: FreeSWITCH's own float reading scales a file to its peak, which changes its loudness.
    const read = bits === 32 ? (b: Buffer, o: number) => b.readFloatLE(o) : (b: Buffer, o: number) => b.readDoubleLE(o);
    return (b, o) => {
      const v = read(b, o);
      return Number.isFinite(v) ? clamp16(Math.round(v * 32767)) : 0;
    };
  }
  if (bits === 8) return (b, o) => (b[o] - 128) << 8;
  if (bits === 16) return (b, o) => b.readInt16LE(o);
  if (bits === 24) return (b, o) => b.readIntLE(o, 3) >> 8;
  return (b, o) => b.readInt32LE(o) >> 16;
}

/** A decoder of whole blocks (the last may be short for ADPCM) into `out`; returns the frames written. */
export type BlockDecoder = (blocks: Buffer, out: Int16Array) => number;

export function blockDecoder(layout: WavLayout): BlockDecoder {
  if (layout.codec === 'ima-adpcm') return imaDecoder(layout);
  const read = sampleReader(layout);
  const { channels, blockAlign } = layout;
  const width = blockAlign / channels;
  return (buf, out) => {
    const frames = Math.floor(buf.length / blockAlign);
    for (let f = 0; f < frames; f++) {
      const o = f * blockAlign;
      if (channels === 1) out[f] = read(buf, o);
      else {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += read(buf, o + c * width);
        out[f] = Math.round(sum / channels);
      }
    }
    return frames;
  };
}

/** IMA/DVI ADPCM as WAV stores it (format 0x11): per block a header per channel, then 4-byte groups per channel. */
function imaDecoder(layout: WavLayout): BlockDecoder {
  const { channels: ch, blockAlign } = layout;
  const perChannel = new Int32Array(layout.framesPerBlock);
  const sums = new Int32Array(layout.framesPerBlock);
  return (buf, out) => {
    let written = 0;
    for (let b = 0; b < buf.length; b += blockAlign) {
      const block = buf.subarray(b, Math.min(b + blockAlign, buf.length));
      if (block.length < 4 * ch) break;
      const groups = Math.floor((block.length - 4 * ch) / (4 * ch));
      const n = 1 + groups * 8;
      sums.fill(0, 0, n);
      for (let c = 0; c < ch; c++) {
        let pred = block.readInt16LE(c * 4);
        let index = Math.min(88, block[c * 4 + 2]);
        perChannel[0] = pred;
        for (let g = 0; g < groups; g++) {
          const base = 4 * ch + g * 4 * ch + c * 4;
          for (let k = 0; k < 8; k++) {
            const nib = (block[base + (k >> 1)] >> ((k & 1) * 4)) & 0x0f;
            const step = IMA_STEP[index];
            let diff = step >> 3;
            if (nib & 1) diff += step >> 2;
            if (nib & 2) diff += step >> 1;
            if (nib & 4) diff += step;
            pred = clamp16(nib & 8 ? pred - diff : pred + diff);
            index = Math.max(0, Math.min(88, index + IMA_INDEX[nib]));
            perChannel[1 + g * 8 + k] = pred;
          }
        }
        for (let i = 0; i < n; i++) sums[i] += perChannel[i];
      }
      for (let i = 0; i < n; i++) out[written + i] = ch === 1 ? sums[i] : Math.round(sums[i] / ch);
      written += n;
    }
    return written;
  };
}
