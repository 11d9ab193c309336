// The Publisher interface and the protocol-neutral publish procedure: atomic replace of every file, then pruning.
//
// Each file is written to a hidden temporary name in the target directory and renamed over its final name, so a phone
// reading at any moment gets the old file or the new one, never half of one. A manifest per PBX
// (".dialtone-<key>.manifest") remembers what the last publish wrote; files of phones removed since then are deleted.
// Only per-phone files (named after a MAC) are ever pruned: shared files may also belong to another PBX publishing to
// the same directory, and nothing this module did not write is ever touched.
import { randomBytes } from 'node:crypto';
import { printable } from '../../domain/printable';
import { isPublishableName, PublishTargetError } from './target';

/** A publish that failed at the server (login refused, no permission, connection lost); `step` says where. */
export class PublishError extends Error {
  override name = 'PublishError';
  constructor(
    readonly step: 'connect' | 'login' | 'directory' | 'read' | 'upload' | 'rename' | 'prune',
    message: string,
  ) {
    super(message);
  }
}

export interface PublishSet {
  /** Names this set in the target directory's manifest (the PBX context): [a-z0-9_]. */
  key: string;
  /** File name -> body, uploaded in this order (see render-pbx-files.ts). */
  files: ReadonlyMap<string, string | Buffer>;
}

export interface PublishResult {
  /** The target, without credentials. */
  target: string;
  /** Names written, in upload order. */
  uploaded: string[];
  /** Per-phone files of earlier publishes no longer in the set, deleted. */
  removed: string[];
  bytes: number;
}

/** Pushes a set of files to one remote directory. One connection per publish, closed before it returns. */
export interface Publisher {
  /** The target as people may see it (no password). */
  readonly target: string;
  publish(set: PublishSet): Promise<PublishResult>;
}

/** One open connection, positioned on the target directory (which exists). Implemented per protocol. */
export interface RemoteDir {
  /** Writes `body` under the temporary name `tmp` and renames it over `name` (replacing it). */
  replace(tmp: string, name: string, body: Buffer): Promise<void>;
  /** The file's bytes, or null when it does not exist. */
  read(name: string): Promise<Buffer | null>;
  /** Deletes the file; a file that does not exist is no error. */
  remove(name: string): Promise<void>;
  /** Plain names in the directory. */
  list(): Promise<string[]>;
}

const TMP_SUFFIX = '.dialtone-tmp';
const MAC_FILE = /^(?!000000000000)[0-9a-f]{12}[.-]/;

export function manifestName(key: string): string {
  if (!/^[a-z0-9_]{1,64}$/.test(key)) throw new PublishTargetError('the publish key must be a PBX context');
  return `.dialtone-${key}.manifest`;
}

function tmpName(name: string): string {
  return `.${name}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`;
}

function parseManifest(body: Buffer | null): string[] {
  if (!body) return [];
  return body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && isPublishableName(line));
}

/** Checks every name before anything is sent: a bad set uploads nothing. */
export function checkPublishSet(set: PublishSet): void {
  manifestName(set.key);
  for (const name of set.files.keys())
    if (!isPublishableName(name))
      throw new PublishTargetError(`refusing to publish a file named "${printable(name, 60)}"`);
}

/** The publish procedure over an open RemoteDir (FTP and SFTP publishers call this once connected). */
export async function publishTo(dir: RemoteDir, set: PublishSet, target: string): Promise<PublishResult> {
  checkPublishSet(set);
  const manifest = manifestName(set.key);
  // Temporary files of an interrupted earlier publish (ours by their suffix): a phone never asks for them, but tidy up.
  for (const name of await dir.list()) if (name.startsWith('.') && name.endsWith(TMP_SUFFIX)) await dir.remove(name);
  const before = parseManifest(await dir.read(manifest));

  const uploaded: string[] = [];
  let bytes = 0;
  for (const [name, body] of set.files) {
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await dir.replace(tmpName(name), name, data);
    uploaded.push(name);
    bytes += data.length;
  }
  // The manifest is written before pruning (still listing what is to go): if pruning stops half-way, the next publish
  // still knows what to delete.
  const stale = before.filter((n) => !set.files.has(n) && MAC_FILE.test(n));
  const writeManifest = (names: string[]) =>
    dir.replace(
      tmpName(manifest.slice(1)),
      manifest,
      Buffer.from(
        `# Written by Dialtone: files of PBX ${set.key} in this directory (do not edit)\n${names.join('\n')}\n`,
      ),
    );
  await writeManifest([...set.files.keys(), ...stale]);
  const removed: string[] = [];
  for (const name of stale) {
    await dir.remove(name);
    removed.push(name);
  }
  if (stale.length) await writeManifest([...set.files.keys()]);
  return { target, uploaded, removed, bytes };
}
