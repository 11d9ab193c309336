// Atomic tree writes: a new version is written beside the old one, then one rename swaps a symlink to it.
// A crash at any point leaves the previous tree (or nothing, on the first export) — never a half-written one.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { textPieces } from '../text-pieces';
import type { FileText } from './pack-tree';

export class TreeWriteError extends Error {
  override name = 'TreeWriteError';
}

/** Test seam: called after each file is written, so a test can simulate a crash mid-export. */
export type AfterFileHook = (path: string, index: number) => void;

function assertRelative(path: string): void {
  if (
    !path ||
    path.startsWith('/') ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..') ||
    path.includes('\\')
  )
    throw new TreeWriteError(`refusing to write unsafe path "${path}"`);
}

/** Characters per write: a packed file is tens of MB, and one write of it took ~25 times as long as 1 MB pieces. */
const WRITE_CHUNK = 1 << 20;

/** Writes `text` as UTF-8 in pieces, never splitting a surrogate pair between two pieces. */
export function writeText(fd: number, text: string, chunk = WRITE_CHUNK): void {
  for (const piece of textPieces(text, chunk)) writeSync(fd, piece);
}

/** One buffer for every file's pieces: a packed file's pieces go to the kernel through it, never joined first. */
let pieceBuffer: Buffer | null = null;

/** Writes `pieces` one after another as UTF-8, through one reused buffer. */
export function writePieces(fd: number, pieces: readonly string[], size = WRITE_CHUNK): void {
  pieceBuffer = pieceBuffer?.length === size ? pieceBuffer : Buffer.allocUnsafe(size);
  const buf = pieceBuffer;
  let used = 0;
  const flush = () => {
    for (let at = 0; at < used; ) at += writeSync(fd, buf, at, used - at);
    used = 0;
  };
  for (const piece of pieces) {
    // At most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units): a piece this size surely fits.
    if (piece.length * 3 > buf.length - used) {
      flush();
      if (piece.length * 3 > buf.length) {
        writeText(fd, piece);
        continue;
      }
    }
    used += buf.write(piece, used, 'utf8');
  }
  flush();
}

function writeNewFile(path: string, text: FileText): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    if (typeof text === 'string') writeText(fd, text);
    else writePieces(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes the staged tree durable before the symlink swap publishes it. One syncfs (coreutils `sync -f`) instead of
 * an fsync per file: thousands of fsyncs cost ~0.7 ms each here. Without `sync`, every file is fsynced.
 */
function syncTree(staging: string, written: string[]): void {
  try {
    execFileSync('sync', ['-f', staging], { stdio: 'ignore', timeout: 60_000 });
    return;
  } catch {
    // fall through
  }
  for (const path of written) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Writes `files` as the new content of `outDir`. `outDir` becomes a symlink to `<outDir>.versions/<id>`;
 * the swap is a rename of a fresh symlink over it (atomic on POSIX). Older versions beyond `keep` are removed.
 * A pre-existing real directory at `outDir` is moved into the versions folder first (one-time migration).
 */
export function writeTreeAtomic(
  outDir: string,
  files: Map<string, FileText>,
  opts: { keep?: number; afterFile?: AfterFileHook } = {},
): string {
  const target = resolve(outDir);
  const versions = `${target}.versions`;
  mkdirSync(versions, { recursive: true });
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
  const staging = join(versions, `.staging-${id}`);
  mkdirSync(staging);
  try {
    let i = 0;
    const written: string[] = [];
    for (const [path, text] of files) {
      assertRelative(path);
      const full = join(staging, path);
      if (!full.startsWith(staging + sep)) throw new TreeWriteError(`refusing to write outside the tree: ${path}`);
      mkdirSync(dirname(full), { recursive: true });
      writeNewFile(full, text);
      written.push(full);
      opts.afterFile?.(path, i++);
    }
    syncTree(staging, written);
    const finalDir = join(versions, id);
    renameSync(staging, finalDir);
    let existing: ReturnType<typeof lstatSync> | null = null;
    try {
      existing = lstatSync(target);
    } catch {
      existing = null;
    }
    if (existing && !existing.isSymbolicLink()) {
      if (!existing.isDirectory()) throw new TreeWriteError(`${target} exists and is not a directory`);
      renameSync(target, join(versions, `original-${id}`));
    }
    const link = join(dirname(target), `.${basename(target)}.link-${id}`);
    symlinkSync(finalDir, link);
    renameSync(link, target);
    prune(versions, finalDir, opts.keep ?? 3);
    return finalDir;
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

function prune(versions: string, current: string, keep: number): void {
  const all = readdirSync(versions)
    .filter((n) => !n.startsWith('.staging-') && !n.startsWith('original-'))
    .sort();
  const old = all.filter((n) => join(versions, n) !== current).slice(0, Math.max(0, all.length - keep));
  for (const n of old) rmSync(join(versions, n), { recursive: true, force: true });
  // Leftovers of a crashed export are never read; clear them.
  for (const n of readdirSync(versions))
    if (n.startsWith('.staging-')) rmSync(join(versions, n), { recursive: true, force: true });
}

/** Where the tree currently points (for tests and status output). */
export function currentTreeVersion(outDir: string): string | null {
  try {
    return readlinkSync(resolve(outDir));
  } catch {
    return null;
  }
}
