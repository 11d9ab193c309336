// Real bytes for test/fixtures/freeswitch/: with DIALTONE_E2E_CAPTURE=<dir>, tests save what FreeSWITCH sent them
// (call-record posts, SIP messages, event-socket frames) under <dir>; a person reviews and copies them over.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const captureDir = (): string | undefined => process.env.DIALTONE_E2E_CAPTURE || undefined;

export function saveCapture(name: string, bytes: Buffer | string): void {
  const dir = captureDir();
  if (!dir) return;
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, bytes);
}

/**
 * A raw event-socket session that keeps FreeSWITCH's frames byte for byte (the client in src/ decodes them):
 * `api` returns the whole api/response frame, events subscribed with `event plain` are kept in order.
 */
export async function rawEsl(port: number, password: string) {
  const socket = connect(port, '127.0.0.1');
  let buffered = Buffer.alloc(0);
  const frames: Buffer[] = [];
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const headEnd = buffered.indexOf('\n\n');
      if (headEnd < 0) return;
      const length = Number(
        /(?:^|\n)Content-Length: (\d+)/.exec(buffered.subarray(0, headEnd).toString('latin1'))?.[1] ?? '0',
      );
      const total = headEnd + 2 + length;
      if (buffered.length < total) return;
      frames.push(buffered.subarray(0, total));
      buffered = buffered.subarray(total);
    }
  });
  const next = async (test: (frame: string) => boolean, from: number, timeoutMs = 10_000): Promise<Buffer> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = frames.slice(from).find((f) => test(f.toString('latin1')));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error('raw event socket: no such frame');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  await next((f) => f.includes('auth/request'), 0);
  socket.write(`auth ${password}\n\n`);
  await next((f) => f.includes('Reply-Text: +OK accepted'), 0);
  return {
    frames,
    async send(command: string): Promise<Buffer> {
      const from = frames.length;
      socket.write(`${command}\n\n`);
      return next(
        (f) => f.startsWith('Content-Type: api/response') || f.startsWith('Content-Type: command/reply'),
        from,
      );
    },
    close: () => socket.destroy(),
  };
}
