// Port blocks for end-to-end runs: FreeSWITCH cannot take port 0 for SIP, RTP or the event socket, so each instance
// claims a block of 200 ports below Linux's ephemeral range (32768+) by lock file, and checks every port is free.
//
// A lock file /tmp/dialtone-e2e-ports/<base> holds the claiming process id; a lock whose process is gone is stale and
// taken over. Other test runs on the machine (other worktrees, CI) use the same directory, so they never collide.

import { createSocket } from 'node:dgram';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';

const LOCK_DIR = '/tmp/dialtone-e2e-ports';
const FIRST = 20000;
const LAST = 31800; // block bases: 20000, 20200, ... 31800 (60 blocks)
export const BLOCK = 200;

/**
 * One claimed block: `base` SIP internal, +1 SIP external (trunks), +2 event socket, +10..+69 FreeSWITCH RTP,
 * +70..+199 a pool handed out to sipp processes (SIP port + media ports) and released when they exit.
 */
export class PortBlock {
  private readonly free: number[] = [];
  constructor(readonly base: number) {
    for (let p = base + 70; p + 4 < base + BLOCK; p += 5) this.free.push(p);
  }
  get sipInternal(): number {
    return this.base;
  }
  get sipExternal(): number {
    return this.base + 1;
  }
  get esl(): number {
    return this.base + 2;
  }
  get rtpStart(): number {
    return this.base + 10;
  }
  get rtpEnd(): number {
    return this.base + 69;
  }
  /** Five consecutive ports for one sipp process: SIP on the first, media (RTP, RTCP, video) on the next. */
  take(): number {
    const p = this.free.shift();
    if (p === undefined) throw new Error(`port block ${this.base}: every sipp port is in use`);
    return p;
  }
  give(port: number): void {
    if (!this.free.includes(port)) this.free.push(port);
  }
  release(): void {
    rmSync(`${LOCK_DIR}/${this.base}`, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims the lock file of `base`; a lock left by a dead process is taken over. */
function lock(base: number): boolean {
  const path = `${LOCK_DIR}/${base}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

const udpFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const tcpFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** Every port of the block is bindable on loopback right now (someone outside the lock scheme may hold one). */
async function blockFree(base: number): Promise<boolean> {
  for (let p = base; p < base + BLOCK; p++) {
    if (!(await udpFree(p))) return false;
    // sofia listens on TCP as well as UDP on its SIP ports; the event socket is TCP.
    if (p <= base + 2 && !(await tcpFree(p))) return false;
  }
  return true;
}

/** Claims a free block, starting at a random one so concurrent runs rarely even try the same lock. */
export async function claimPortBlock(): Promise<PortBlock> {
  mkdirSync(LOCK_DIR, { recursive: true, mode: 0o1777 });
  const count = (LAST - FIRST) / BLOCK + 1;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    const base = FIRST + ((start + i) % count) * BLOCK;
    if (!lock(base)) continue;
    if (await blockFree(base)) return new PortBlock(base);
    rmSync(`${LOCK_DIR}/${base}`, { force: true });
  }
  throw new Error(`no free block of ${BLOCK} ports in ${FIRST}-${LAST + BLOCK - 1} (locks in ${LOCK_DIR})`);
}
