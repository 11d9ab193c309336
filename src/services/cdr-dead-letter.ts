// Call records Dialtone refused (malformed, an encoding it does not read, oversized) are kept here, as FreeSWITCH
// keeps what it could not post: DATA_DIR/cdr-dead-letter/<time>-<random>.cdr plus a .json beside it saying why.
// The folder is bounded in file count and total size; the oldest letters go first. Nothing is dropped silently:
// every letter kept or pruned is logged.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log';
import { writeFileAtomically } from './atomic-file';

export interface DeadLetterLimits {
  /** Most letters kept (bodies; each has a small .json beside it). */
  maxFiles: number;
  /** Most bytes of bodies kept in total. */
  maxBytes: number;
}

export interface DeadLetterMeta {
  receivedAt: string;
  /** malformed | encoding | oversized */
  problem: string;
  /** The parser's or size check's words. */
  reason: string;
  contentType: string;
  remoteAddress: string;
  /** Size of the body as received (an oversized one may be kept only in part: see `truncated`). */
  bytes: number;
  truncated: boolean;
  /** The uuid FreeSWITCH put in the URL (`?uuid=`), when it did. */
  uuid?: string;
}

export interface DeadLetter {
  name: string;
  bytes: number;
  meta: DeadLetterMeta | null;
}

const BODY = '.cdr';
/** Orders letters of one millisecond (names sort by time, then this). */
let sequence = 0;

export class CdrDeadLetters {
  constructor(
    readonly dir: string,
    private readonly limits: DeadLetterLimits,
    private readonly log: Logger,
  ) {}

  /**
   * Keeps one refused body and what is known about it, then prunes the oldest letters beyond the limits. Returns the
   * letter's name, or null when it could not be written (logged: the post is still answered 400, FreeSWITCH keeps its
   * own copy in err-log-dir).
   */
  async keep(body: Buffer, meta: DeadLetterMeta): Promise<string | null> {
    const stamp = meta.receivedAt.replace(/[-:.]/g, '');
    sequence = (sequence + 1) % 1_000_000;
    const name = `${stamp}-${String(sequence).padStart(6, '0')}-${randomBytes(3).toString('hex')}`;
    try {
      await writeFileAtomically(join(this.dir, `${name}${BODY}`), body);
      await writeFileAtomically(join(this.dir, `${name}.json`), Buffer.from(`${JSON.stringify(meta, null, 2)}\n`));
    } catch (err) {
      this.log('error', 'cdr dead letter: could not be written', { dir: this.dir, problem: meta.problem, err });
      return null;
    }
    this.log('warn', 'cdr refused and kept as a dead letter', {
      letter: name,
      problem: meta.problem,
      reason: meta.reason.slice(0, 200),
      bytes: meta.bytes,
      truncated: meta.truncated,
      ip: meta.remoteAddress,
      ...(meta.uuid && { uuid: meta.uuid }),
    });
    await this.prune().catch((err) => this.log('warn', 'cdr dead letter: pruning failed', { err }));
    return name;
  }

  /** The letters, oldest first (names start with their UTC time). */
  async list(): Promise<DeadLetter[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(BODY)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: DeadLetter[] = [];
    for (const file of names) {
      const name = file.slice(0, -BODY.length);
      const bytes = await stat(join(this.dir, file)).then(
        (s) => s.size,
        () => -1,
      );
      if (bytes < 0) continue; // pruned by another node meanwhile
      const meta = await readFile(join(this.dir, `${name}.json`), 'utf8').then(
        (t) => JSON.parse(t) as DeadLetterMeta,
        () => null,
      );
      out.push({ name, bytes, meta });
    }
    return out;
  }

  /** Drops the oldest letters until at most maxFiles remain and their bodies total at most maxBytes. */
  async prune(): Promise<number> {
    const letters = await this.list();
    let total = letters.reduce((sum, l) => sum + l.bytes, 0);
    let count = letters.length;
    let dropped = 0;
    for (const l of letters) {
      if (count <= this.limits.maxFiles && total <= this.limits.maxBytes) break;
      await rm(join(this.dir, `${l.name}${BODY}`), { force: true });
      await rm(join(this.dir, `${l.name}.json`), { force: true });
      this.log('warn', 'cdr dead letter dropped (folder full)', { letter: l.name, bytes: l.bytes });
      total -= l.bytes;
      count--;
      dropped++;
    }
    return dropped;
  }
}
