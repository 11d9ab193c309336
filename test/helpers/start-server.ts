// Starts `src/main.ts` as `npm start` would (through tsx) on an ephemeral port and waits for its "listening" line.
import { type ChildProcess, spawn } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  port: number;
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string;
  /** The "dialtone listening" line's fields. */
  listening: Record<string, unknown>;
}

export function startServer(env: Record<string, string>, timeoutMs = 150_000): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TFTP_PORT: '0', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    // A server that did not start in time is stopped (SIGTERM: the primary stops the processes it forked), never left
    // running after the test.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`server did not start:\n${text}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      text += b.toString();
      const line = text.split('\n').find((l) => l.includes('"msg":"dialtone listening"'));
      if (line) {
        clearTimeout(timer);
        const listening = JSON.parse(line) as Record<string, unknown>;
        resolve({ child, port: Number(/:(\d+)$/.exec(String(listening.url))?.[1]), output: () => text, listening });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}:\n${text}`));
    });
  });
}

/** SIGTERM and wait for the exit (the primary stops its children first). */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
