// Any WAV we can read → a canonical 16-bit PCM mono WAV at the same sample rate, streamed block by block (never the
// whole file in memory). Nothing of the input's other chunks (LIST, bext, cue, anything glued in) reaches the output.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { blockDecoder } from './wav-decode';
import type { WavLayout } from './wav-layout';

export interface ConvertedWav {
  bytes: number;
  sha256: string;
  frames: number;
  /** Largest absolute sample written (0 … 32768): tells silence from sound. */
  peak: number;
}

/** Bytes of the canonical WAV for `frames` mono 16-bit frames. */
export const canonicalWavBytes = (frames: number): number => 44 + frames * 2;

export function canonicalWavHeader(sampleRate: number, frames: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + frames * 2, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(frames * 2, 40);
  return h;
}

/** Reads the input's data chunk in pieces of whole blocks and writes the converted file to `output`. */
export async function convertWav(input: FileHandle, layout: WavLayout, output: FileHandle): Promise<ConvertedWav> {
  const hash = createHash('sha256');
  const write = async (buf: Buffer) => {
    hash.update(buf);
    await output.write(buf);
  };
  await write(canonicalWavHeader(layout.sampleRate, layout.frames));
  const decode = blockDecoder(layout);
  const blocksPerRead = Math.max(1, Math.floor((64 * 1024) / layout.blockAlign));
  const inBuf = Buffer.alloc(blocksPerRead * layout.blockAlign);
  const samples = new Int16Array(blocksPerRead * layout.framesPerBlock);
  let peak = 0;
  let frames = 0;
  for (let done = 0; done < layout.dataBytes; ) {
    const want = Math.min(inBuf.length, layout.dataBytes - done);
    const { bytesRead } = await input.read(inBuf, 0, want, layout.dataOffset + done);
    if (bytesRead !== want) throw new Error('the file changed while it was converted');
    const n = decode(inBuf.subarray(0, want), samples);
    for (let i = 0; i < n; i++) {
      const a = samples[i] < 0 ? -samples[i] : samples[i];
      if (a > peak) peak = a;
    }
    const out = Buffer.from(samples.buffer, samples.byteOffset, n * 2);
    // Int16Array is the machine's byte order; WAV is little-endian (every platform Node runs on here is too).
    await write(out);
    frames += n;
    done += want;
  }
  if (frames !== layout.frames) throw new Error(`decoded ${frames} frames, expected ${layout.frames}`);
  return { bytes: canonicalWavBytes(frames), sha256: hash.digest('hex'), frames, peak };
}
