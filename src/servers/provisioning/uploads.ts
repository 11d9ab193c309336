// Files phones PUT (boot/app logs, overrides, call lists): read with a size limit, stored atomically (temp file + rename).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

/** The whole body, or 'too-large' as soon as it passes `limit` bytes (declared or actually sent). */
export async function readLimitedBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  limit: number,
): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) return 'too-large';
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
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
