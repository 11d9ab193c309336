// Files phones PUT (boot/app logs, overrides, call lists): read with a size limit, stored atomically (temp file + rename).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

/** The whole body, or 'too-large' as soon as it passes `limit` bytes (declared or actually sent). */
export function readLimitedBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  limit: number,
): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  // Plain listeners, not `for await`: this runs for every xml_curl lookup and every phone's PUT, and the async
  // iterator costs several promises per chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      done();
      req.destroy(); // stop reading an oversized body, as leaving a for-await loop does
      resolve('too-large');
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    // The client went away before the body ended (no 'end', and not always an 'error').
    const onClose = () => onError(new Error('request closed before its body ended'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Writes `body` to `path` so readers see the old file or the new one, never a part (0640; folder 0750). */
export async function storeUploadAtomically(path: string, body: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o750 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, body, { mode: 0o640, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
