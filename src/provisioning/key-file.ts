// Server keys kept in a file beside the data (never in the database): read it, or create it once with 0600 permissions.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const KEY_BYTES = 32;

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/**
 * Returns the 32-byte key stored (hex) in `path`, creating the file with a random key when it does not exist.
 * The key is written to a temporary file and hard-linked into place, which fails if the file exists: two processes
 * starting at once end up with the same key, and nobody ever reads a half-written file.
 */
export function loadOrCreateKeyFile(path: string): Buffer {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new KeyFileError(`cannot create key file ${path}: ${(err as Error).message}`);
  } finally {
    rmSync(tmp, { force: true });
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new KeyFileError(`cannot read key file ${path}: ${(err as Error).message}`);
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new KeyFileError(`key file ${path} must hold 64 hex digits`);
  return Buffer.from(text, 'hex');
}
