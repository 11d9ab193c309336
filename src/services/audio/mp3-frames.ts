// MP3 read strictly frame by frame: tags (ID3v2 in front, APE and ID3v1 behind) are skipped, every byte between
// them must be a valid, consistent MPEG-1/2/2.5 Layer III frame (zero padding aside). The stored file is exactly
// those frames, so no tag text, cover picture or anything glued into the file reaches the FreeSWITCH host.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { AudioRejectedError } from '../../domain/errors';

export interface FrameHeader {
  /** 1, 2 or 2.5 */
  version: number;
  layer: number;
  bitrateKbps: number;
  sampleRate: number;
  channels: 1 | 2;
  /** Bytes of the whole frame, header included. */
  length: number;
  samples: number;
}

export interface Mp3Layout {
  start: number;
  end: number;
  frames: number;
  /** Frames of sound (a leading Xing/Info/VBRI frame is information, not sound). */
  soundFrames: number;
  sampleRate: number;
  channels: 1 | 2;
  version: number;
  samplesPerFrame: number;
}

const V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  2.5: [11025, 12000, 8000],
};

const reject = (msg: string): never => {
  throw new AudioRejectedError(msg);
};

/** The frame header at `o`, or null when the 4 bytes there are not one (or name a layer other than III). */
export function frameHeader(b: Buffer, o: number): FrameHeader | null {
  if (o + 4 > b.length || b[o] !== 0xff || (b[o + 1] & 0xe0) !== 0xe0) return null;
  const v = (b[o + 1] >> 3) & 3;
  const layerBits = (b[o + 1] >> 1) & 3;
  const br = b[o + 2] >> 4;
  const sr = (b[o + 2] >> 2) & 3;
  if (v === 1 || layerBits === 0 || br === 15 || sr === 3 || (b[o + 3] & 3) === 2) return null;
  const version = v === 3 ? 1 : v === 2 ? 2 : 2.5;
  const layer = 4 - layerBits;
  const sampleRate = RATES[version][sr];
  const channels = b[o + 3] >> 6 === 3 ? 1 : 2;
  if (layer !== 3) return { version, layer, bitrateKbps: 0, sampleRate, channels, length: 0, samples: 0 };
  const bitrateKbps = (version === 1 ? V1_L3 : V2_L3)[br];
  const samples = version === 1 ? 1152 : 576;
  const padding = (b[o + 2] >> 1) & 1;
  const length = bitrateKbps ? Math.floor(((samples / 8) * bitrateKbps * 1000) / sampleRate) + padding : 0;
  return { version, layer, bitrateKbps, sampleRate, channels, length, samples };
}

/** A Xing/Info (LAME) or VBRI header frame: it describes the stream and plays as silence. */
function isInfoFrame(b: Buffer, o: number, h: FrameHeader): boolean {
  const side = h.version === 1 ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  const at = (off: number) => b.toString('latin1', o + off, o + off + 4);
  return at(4 + side) === 'Xing' || at(4 + side) === 'Info' || at(36) === 'VBRI';
}

/** Reads `len` bytes at `pos` (fewer at the end of the file). */
async function readAt(h: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await h.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

/** Where the tags end in front and begin behind: the frames must fill what lies between. */
async function tagBounds(h: FileHandle, size: number): Promise<{ start: number; end: number }> {
  let start = 0;
  for (let tags = 0; tags < 4; tags++) {
    const id3 = await readAt(h, start, 10);
    if (id3.length < 10 || id3.toString('latin1', 0, 3) !== 'ID3') break;
    if ((id3[6] | id3[7] | id3[8] | id3[9]) & 0x80) reject('the MP3 has a damaged ID3 tag');
    const len = (id3[6] << 21) | (id3[7] << 14) | (id3[8] << 7) | id3[9];
    start += 10 + len + (id3[5] & 0x10 ? 10 : 0);
  }
  let end = size;
  if (end - 128 >= start && (await readAt(h, end - 128, 3)).toString('latin1') === 'TAG') end -= 128;
  const ape = end - 32 >= start ? await readAt(h, end - 32, 32) : Buffer.alloc(0);
  if (ape.length === 32 && ape.toString('latin1', 0, 8) === 'APETAGEX') {
    const len = ape.readUInt32LE(12) + (ape.readUInt32LE(20) & 0x80000000 ? 32 : 0);
    if (len > end - start) reject('the MP3 has a damaged APE tag');
    end -= len;
  }
  if (start > end) reject('the MP3 tags claim more bytes than the file has: it is damaged');
  return { start, end };
}

/** Walks every frame of the MP3 in `h` (of `size` bytes); refuses anything that is not clean Layer III audio. */
export async function readMp3Layout(h: FileHandle, size: number): Promise<Mp3Layout> {
  const { start: tagged, end: tagEnd } = await tagBounds(h, size);
  const WINDOW = 256 * 1024;
  let buf: Buffer = Buffer.alloc(0);
  let bufPos = 0;
  const ensure = async (pos: number, len: number) => {
    if (pos >= bufPos && pos + len <= bufPos + buf.length) return;
    buf = await readAt(h, pos, Math.max(len, WINDOW));
    bufPos = pos;
  };
  // Zero bytes (padding some encoders leave after a tag) are skipped; they are no other file's content.
  let pos = tagged;
  const skipZeros = async (limit: number) => {
    while (pos < limit) {
      await ensure(pos, 1);
      const i = buf.subarray(pos - bufPos).findIndex((x) => x !== 0);
      if (i >= 0) {
        pos += i;
        return;
      }
      pos = bufPos + buf.length;
    }
  };
  await skipZeros(tagEnd);
  const start = pos;
  let first: FrameHeader | null = null;
  let frames = 0;
  let info = 0;
  let end = start;
  let cutShort = false;
  while (pos < tagEnd) {
    await ensure(pos, 64);
    const fh = frameHeader(buf, pos - bufPos);
    if (!fh) break;
    if (fh.layer !== 3)
      reject(`this is MPEG layer ${fh.layer === 2 ? 'II (.mp2)' : 'I (.mp1)'} audio, not MP3: upload an MP3 or a WAV`);
    if (!fh.length) reject('the MP3 uses a free-format bit rate, which FreeSWITCH cannot play: re-encode it');
    if (!first) {
      first = fh;
      if (isInfoFrame(buf, pos - bufPos, fh)) info = 1;
    } else if (fh.version !== first.version || fh.sampleRate !== first.sampleRate || fh.channels !== first.channels)
      reject('the MP3 changes its sample rate or channels midway (two files joined?): re-encode it as one MP3');
    if (pos + fh.length > tagEnd) {
      // The last frame cut short (a copy that stopped early): dropped, as every player does.
      cutShort = true;
      break;
    }
    pos += fh.length;
    frames++;
    end = pos;
  }
  if (!first) reject('the file does not hold MP3 audio');
  if (frames - info <= 0) reject('the MP3 holds no audio frames');
  if (!cutShort && end < tagEnd) {
    // Whatever follows the last frame up to the tags must be zero padding: anything else is not ours to store.
    pos = end;
    await skipZeros(tagEnd);
    if (pos < tagEnd)
      reject(`the MP3 has ${tagEnd - end} bytes after its audio that are not MP3 frames (from byte ${end} on)`);
  }
  const f = first as FrameHeader;
  return {
    start,
    end,
    frames,
    soundFrames: frames - info,
    sampleRate: f.sampleRate,
    channels: f.channels,
    version: f.version,
    samplesPerFrame: f.samples,
  };
}

/** Copies the frames (and nothing else) to `output`; returns bytes written and their SHA-256. */
export async function copyFrames(
  input: FileHandle,
  layout: Mp3Layout,
  output: FileHandle,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const buf = Buffer.alloc(256 * 1024);
  for (let pos = layout.start; pos < layout.end; ) {
    const want = Math.min(buf.length, layout.end - pos);
    const { bytesRead } = await input.read(buf, 0, want, pos);
    if (bytesRead !== want) throw new Error('the file changed while it was stored');
    hash.update(buf.subarray(0, want));
    await output.write(buf.subarray(0, want));
    pos += want;
  }
  return { bytes: layout.end - layout.start, sha256: hash.digest('hex') };
}
