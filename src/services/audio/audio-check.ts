// The content check every uploaded audio file passes before it is stored: by its bytes, never its name or MIME type.
//
// What FreeSWITCH 1.10.12 plays (measured on the real one, mod_sndfile with libsndfile 1.2.0, mod_shout with libmpg123,
// `playback` on a loopback call and mod_local_stream at 8 kHz, recorded and measured with sox):
// - WAV: every variant opens and plays at the right speed — PCM 8/16/24/32-bit, float 32/64, µ-law, A-law, IMA and
//   MS ADPCM, GSM 6.10, extensible headers, 8 to 96 kHz (resampled by the core). But it mixes channels by SUMMING
//   them ("File has 2 channels, muxing to 1 channel will occur"): a stereo track plays 6 dB louder and clips hard
//   (distorted music), 6 channels worse; and float WAVs are scaled to their peak (louder than recorded).
// - MP3: MPEG-1/2/2.5 Layer III, mono and stereo, CBR and VBR, 8 to 48 kHz all play; mod_shout decodes at a reduced
//   scale, so an MP3 plays quieter than the same WAV (mono about 12 dB, stereo about 6 dB), without clipping.
// So every WAV is converted here, in pure JS, to 16-bit PCM mono at its own rate with channels AVERAGED (what a
// phone call can carry, at the level it was recorded); codecs we cannot decode (MS ADPCM, GSM, MP3-in-WAV …) are
// refused with what to upload instead. MP3s are kept as they are, reduced to their frames (tags and anything else
// dropped). Polyglots are refused: markup anywhere, a PDF header in front, bytes glued after the audio.
import { link, open, rm, stat } from 'node:fs/promises';
import { AudioRejectedError } from '../../domain/errors';
import { AUDIO_MAX_BYTES, formatMb } from '../../domain/rules/audio-rules';
import { copyFrames, readMp3Layout } from './mp3-frames';
import { canonicalWavBytes, convertWav } from './wav-convert';
import { readWavLayout, type WavLayout } from './wav-layout';

export interface CheckedAudio {
  format: 'wav' | 'mp3';
  durationMs: number;
  sizeBytes: number;
  sha256: string;
  /** What was uploaded, for logs: e.g. "WAV ima-adpcm 4-bit 44100 Hz 2 ch → 16-bit PCM mono". */
  description: string;
}

export interface AudioLimits {
  /** Of the stored file (what FreeSWITCH plays and the hold-music budget counts). */
  maxBytes: number;
  minDurationMs: number;
  maxDurationMs: number;
}

export const DEFAULT_AUDIO_LIMITS: AudioLimits = {
  maxBytes: AUDIO_MAX_BYTES,
  minDurationMs: 100,
  maxDurationMs: 60 * 60 * 1000,
};

/** Below this peak (about -60 dBFS) a WAV is taken as silence: an empty recording, not a greeting. */
const SILENCE_PEAK = 32;

const reject = (msg: string): never => {
  throw new AudioRejectedError(msg);
};

/** Text no audio file holds, but an HTML page, script or PHP file renamed to .mp3/.wav (or glued into one) does. */
const MARKUP = ['<script', '<html', '<!doctype', '<?php', '<svg', '<iframe', '<body', '<object', '<embed'];

/** Refuses a file carrying markup anywhere or a PDF header near its start (read in pieces, never all at once). */
async function refusePolyglot(path: string): Promise<void> {
  const h = await open(path, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const overlap = 16;
    let carry = '';
    for (let pos = 0; ; ) {
      const { bytesRead } = await h.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const text = carry + buf.toString('latin1', 0, bytesRead).toLowerCase();
      if (pos === 0 && text.slice(0, 1024).includes('%pdf-'))
        reject('the file contains a PDF document, which no audio file does: it is refused');
      const hit = MARKUP.find((m) => text.includes(m));
      if (hit) reject(`the file contains web page or script text ("${hit}"), which no audio file does: it is refused`);
      carry = text.slice(-overlap);
      pos += bytesRead;
    }
  } finally {
    await h.close();
  }
}

/**
 * What the file is, by content: file-type sniffs it, music-metadata (the maintained parser) then parses a WAV or MP3
 * and names container and codec. music-metadata is handed the type through a link named with the sniffed extension:
 * its own content guess goes through content-type, which the test runner's CommonJS loading cannot import.
 */
async function identify(path: string): Promise<{ container: string; codec: string; mime: string; ext: string }> {
  // Loaded on the first upload, not at start-up: both are sizeable module graphs only uploads need.
  const [{ fileTypeFromFile }, { parseFile }] = await Promise.all([import('file-type'), import('music-metadata')]);
  const sniffed = await fileTypeFromFile(path).catch(() => undefined);
  if (!sniffed) return { container: '', codec: '', mime: '', ext: '' };
  const { ext, mime } = sniffed;
  if (ext !== 'wav' && ext !== 'mp3') return { container: '', codec: '', mime, ext };
  const named = `${path}.${sniffed.ext}`;
  await link(path, named);
  try {
    const { format } = await parseFile(named, { duration: false, skipCovers: true, skipPostHeaders: true });
    return { container: format.container ?? '', codec: format.codec ?? '', mime, ext };
  } catch {
    return { container: '', codec: '', mime, ext };
  } finally {
    await rm(named, { force: true });
  }
}

async function magic(path: string): Promise<string> {
  const h = await open(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await h.read(b, 0, 4, 0);
    return b.toString('latin1', 0, bytesRead);
  } finally {
    await h.close();
  }
}

function checkDuration(ms: number, limits: AudioLimits): void {
  if (ms < limits.minDurationMs) reject('the recording is shorter than a tenth of a second');
  if (ms > limits.maxDurationMs)
    reject(
      `the recording is ${Math.round(ms / 60000)} minutes long; at most ${limits.maxDurationMs / 60000} minutes are allowed`,
    );
}

/**
 * Checks the file at `input` by content and writes what FreeSWITCH will play to `output` (a new file). Throws an
 * AudioRejectedError with a message for the uploader when the file is not usable; `output` may then be left partly
 * written (the caller removes it).
 */
export async function checkAndConvert(
  input: string,
  output: string,
  limits: AudioLimits = DEFAULT_AUDIO_LIMITS,
): Promise<CheckedAudio> {
  const { size } = await stat(input);
  if (size === 0) reject('the file is empty');
  await refusePolyglot(input);
  const { container, codec, mime, ext } = await identify(input);
  if (ext === 'mp2' || ext === 'mp1')
    reject(`this is MPEG layer ${ext === 'mp2' ? 'II' : 'I'} audio (.${ext}), not MP3: upload an MP3 or a WAV file`);
  if (!container && (await magic(input)).startsWith('R')) {
    // RIFX, RF64 or a RIFF the parsers disagree on: the strict WAV reader says what is wrong with it.
    const h = await open(input, 'r');
    try {
      await readWavLayout(h, size);
    } finally {
      await h.close();
    }
    reject('the WAV is damaged: upload it again, or save it anew as a 16-bit PCM WAV');
  }
  if (!container && mime.startsWith('audio/'))
    reject(`this is ${mime.slice(6).toUpperCase()} audio, not MP3 or WAV: convert it to MP3 and upload that`);
  if (!container) reject('this is not an audio file Dialtone can read: upload an MP3 or a WAV file');
  const h = await open(input, 'r');
  try {
    if (container === 'WAVE') return await wav(h, size, output, limits);
    if (container === 'MPEG' && /layer 3/i.test(codec)) return await mp3(h, size, output, limits);
    if (container === 'MPEG') reject(`this is ${codec} audio, not MP3: upload an MP3 or a WAV file`);
    return reject(`this is ${describe(container, codec)}, not MP3 or WAV: convert it to MP3 and upload that`);
  } finally {
    await h.close();
  }
}

function describe(container: string, codec: string): string {
  return `${[container, codec].filter(Boolean).join(' / ')} audio`;
}

async function wav(
  h: Awaited<ReturnType<typeof open>>,
  size: number,
  output: string,
  limits: AudioLimits,
): Promise<CheckedAudio> {
  const layout: WavLayout = await readWavLayout(h, size);
  checkDuration((layout.frames * 1000) / layout.sampleRate, limits);
  const bytes = canonicalWavBytes(layout.frames);
  if (bytes > limits.maxBytes)
    reject(
      `converted for the phone system (16-bit mono) this recording takes ${formatMb(bytes)}, more than ` +
        `${formatMb(limits.maxBytes)}: upload a shorter recording, or an MP3`,
    );
  const out = await open(output, 'wx', 0o600);
  let converted: Awaited<ReturnType<typeof convertWav>>;
  try {
    converted = await convertWav(h, layout, out);
  } finally {
    await out.close();
  }
  if (converted.peak < SILENCE_PEAK) reject('the recording is silent');
  return {
    format: 'wav',
    durationMs: Math.max(1, Math.round((converted.frames * 1000) / layout.sampleRate)),
    sizeBytes: converted.bytes,
    sha256: converted.sha256,
    description: `WAV ${layout.codec} ${layout.bitsPerSample}-bit ${layout.sampleRate} Hz ${layout.channels} ch → 16-bit PCM mono`,
  };
}

async function mp3(
  h: Awaited<ReturnType<typeof open>>,
  size: number,
  output: string,
  limits: AudioLimits,
): Promise<CheckedAudio> {
  const layout = await readMp3Layout(h, size);
  const durationMs = (layout.soundFrames * layout.samplesPerFrame * 1000) / layout.sampleRate;
  checkDuration(durationMs, limits);
  if (layout.end - layout.start > limits.maxBytes)
    reject(`the MP3's audio takes ${formatMb(layout.end - layout.start)}, more than ${formatMb(limits.maxBytes)}`);
  const out = await open(output, 'wx', 0o600);
  let copied: { bytes: number; sha256: string };
  try {
    copied = await copyFrames(h, layout, out);
  } finally {
    await out.close();
  }
  return {
    format: 'mp3',
    durationMs: Math.max(1, Math.round(durationMs)),
    sizeBytes: copied.bytes,
    sha256: copied.sha256,
    description: `MP3 MPEG-${layout.version} ${layout.sampleRate} Hz ${layout.channels} ch, ${layout.frames} frames`,
  };
}
