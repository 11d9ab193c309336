// The layout of a RIFF/WAVE file, read strictly from its chunks: what codec, how many frames, where the sound is.
// Every size the header states is checked against the file, so a WAV that lies about its length is refused here.
import type { FileHandle } from 'node:fs/promises';
import { AudioRejectedError } from '../../domain/errors';

export type WavCodec = 'pcm' | 'float' | 'alaw' | 'ulaw' | 'ima-adpcm';

export interface WavLayout {
  codec: WavCodec;
  channels: number;
  sampleRate: number;
  /** Bits of one stored sample (4 for IMA ADPCM). */
  bitsPerSample: number;
  /** Bytes of one block: one frame for PCM-like codecs, one ADPCM block otherwise. */
  blockAlign: number;
  /** Frames one block decodes to (1 for PCM-like codecs). */
  framesPerBlock: number;
  dataOffset: number;
  /** Bytes of the data chunk that hold whole frames (a partial last frame is not counted). */
  dataBytes: number;
  frames: number;
}

export const MIN_RATE = 8000;
export const MAX_RATE = 192_000;
export const MAX_CHANNELS = 8;

/** Codecs we meet in WAVs but cannot turn into something FreeSWITCH plays cleanly (see audio-check.ts). */
const OTHER_CODECS: Record<number, string> = {
  2: 'Microsoft ADPCM',
  49: 'GSM 6.10',
  64: 'G.721 ADPCM',
  80: 'MPEG',
  85: 'MP3',
  100: 'G.726 ADPCM',
  353: 'Windows Media Audio',
  8192: 'AC-3',
};

/** KSDATAFORMAT_SUBTYPE_* GUIDs of WAVE_FORMAT_EXTENSIBLE end with these 14 bytes after the 2-byte format tag. */
const KSDATAFORMAT_TAIL = Buffer.from('000000001000800000aa00389b71', 'hex');

const reject = (msg: string): never => {
  throw new AudioRejectedError(msg);
};
const INSTEAD = 'save it as a 16-bit PCM WAV or an MP3 and upload that';

async function readAt(h: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await h.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

/** Reads the chunk list of the WAV in `h` (of `size` bytes) and checks the format it declares. */
export async function readWavLayout(h: FileHandle, size: number): Promise<WavLayout> {
  const head = await readAt(h, 0, 12);
  const magic = head.toString('latin1', 0, 4);
  if (magic === 'RIFX') reject(`this is a big-endian WAV (RIFX), which FreeSWITCH does not read: ${INSTEAD}`);
  if (magic === 'RF64') reject(`this is an RF64 WAV (the format for files over 4 GB): ${INSTEAD}`);
  if (head.length < 12 || magic !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE')
    reject('this is not a WAV file (no RIFF/WAVE header)');
  const end = head.readUInt32LE(4) + 8;
  if (end > size)
    reject(`the WAV header says the file is ${end} bytes long, but it has ${size}: it is truncated or damaged`);
  // One pad byte after an odd-sized RIFF is tolerated; anything more is another file glued behind the WAV.
  if (size > end + (end % 2))
    reject(`the file has ${size - end} bytes after the end of the WAV data: upload the WAV file alone`);

  let fmt: Buffer | null = null;
  let data: { offset: number; size: number } | null = null;
  let pos = 12;
  for (let chunks = 0; pos + 8 <= end; chunks++) {
    if (chunks > 1000) reject('the WAV has more than 1000 chunks: it is damaged');
    const ch = await readAt(h, pos, 8);
    const id = ch.toString('latin1', 0, 4);
    const len = ch.readUInt32LE(4);
    if (pos + 8 + len > end)
      reject(`the WAV chunk "${printable(id)}" says it holds ${len} bytes, more than the file has: it is truncated`);
    if (id === 'fmt ' && !fmt) {
      if (len < 16 || len > 1024) reject('the WAV format chunk has an impossible size: the file is damaged');
      fmt = await readAt(h, pos + 8, len);
    } else if (id === 'data' && !data) {
      if (!fmt) reject('the WAV has its sound before its format chunk: the file is damaged');
      data = { offset: pos + 8, size: len };
    }
    pos += 8 + len + (len % 2);
  }
  if (pos < end && !(pos + 1 === end)) reject('the WAV ends in the middle of a chunk header: it is truncated');
  if (!fmt) reject('the WAV has no format chunk: the file is damaged');
  if (!data || data.size === 0) reject('the WAV holds no sound (its data chunk is missing or empty)');
  return layoutOf(fmt as Buffer, data as { offset: number; size: number });
}

function layoutOf(fmt: Buffer, data: { offset: number; size: number }): WavLayout {
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const byteRate = fmt.readUInt32LE(8);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  const extra = fmt.length >= 18 ? fmt.subarray(18, 18 + fmt.readUInt16LE(16)) : Buffer.alloc(0);
  if (tag === 0xfffe) {
    if (extra.length < 22 || !extra.subarray(8, 22).equals(KSDATAFORMAT_TAIL))
      reject(`this WAV uses an extensible format Dialtone does not know: ${INSTEAD}`);
    tag = extra.readUInt16LE(6);
  }
  if (channels < 1 || channels > MAX_CHANNELS)
    reject(`the WAV has ${channels} channels; upload a mono or stereo recording`);
  if (sampleRate < MIN_RATE || sampleRate > MAX_RATE)
    reject(`the WAV's sample rate is ${sampleRate} Hz; it must be between 8,000 and 192,000 Hz`);
  const codec = codecOf(tag, bits);
  const contradicts = () => reject('the WAV header contradicts itself (block size or byte rate): the file is damaged');
  let framesPerBlock = 1;
  if (codec === 'ima-adpcm') {
    if (blockAlign < 8 * channels || (blockAlign - 4 * channels) % (4 * channels) !== 0) contradicts();
    framesPerBlock = ((blockAlign - 4 * channels) * 2) / channels + 1;
    if (extra.length >= 2 && extra.readUInt16LE(0) !== framesPerBlock) contradicts();
  } else if (blockAlign !== (channels * bits) / 8 || byteRate !== sampleRate * blockAlign) contradicts();
  let frames: number;
  let dataBytes: number;
  if (codec === 'ima-adpcm') {
    const whole = Math.floor(data.size / blockAlign);
    const rest = data.size - whole * blockAlign;
    // A short last block decodes its header sample and every whole group of 4 bytes per channel after it.
    const groups = rest >= 4 * channels ? Math.floor((rest - 4 * channels) / (4 * channels)) : -1;
    frames = whole * framesPerBlock + (groups >= 0 ? 1 + groups * 8 : 0);
    dataBytes = whole * blockAlign + (groups >= 0 ? 4 * channels + groups * 4 * channels : 0);
  } else {
    frames = Math.floor(data.size / blockAlign);
    dataBytes = frames * blockAlign;
  }
  if (frames === 0) reject('the WAV holds no sound');
  return {
    codec,
    channels,
    sampleRate,
    bitsPerSample: bits,
    blockAlign,
    framesPerBlock,
    dataOffset: data.offset,
    dataBytes,
    frames,
  };
}

function codecOf(tag: number, bits: number): WavCodec {
  if (tag === 1 && [8, 16, 24, 32].includes(bits)) return 'pcm';
  if (tag === 1) return reject(`the WAV uses ${bits}-bit PCM, which is not a standard sample size: ${INSTEAD}`);
  if (tag === 3 && (bits === 32 || bits === 64)) return 'float';
  if (tag === 6 && bits === 8) return 'alaw';
  if (tag === 7 && bits === 8) return 'ulaw';
  if (tag === 0x11 && bits === 4) return 'ima-adpcm';
  const name = OTHER_CODECS[tag] ?? `codec 0x${tag.toString(16).padStart(4, '0')}`;
  return reject(`the WAV holds ${name} audio, which Dialtone cannot convert for FreeSWITCH: ${INSTEAD}`);
}

/** A chunk id for a message: four printable ASCII characters or their hex. */
function printable(id: string): string {
  return /^[\x20-\x7e]{4}$/.test(id) ? id : Buffer.from(id, 'latin1').toString('hex');
}
