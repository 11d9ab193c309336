// Log lines are written in batches, once per turn of the event loop, never torn apart and never lost at exit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { batchedLines } from '../src/log';

const run = promisify(execFile);

describe('batchedLines', () => {
  it('writes the lines of one turn in one write, in order', async () => {
    const writes: string[] = [];
    const line = batchedLines((chunk) => writes.push(chunk));
    line('a');
    line('b');
    expect(writes).to.deep.equal([]);
    await new Promise((r) => setImmediate(r));
    line('c');
    await new Promise((r) => setImmediate(r));
    expect(writes).to.deep.equal(['a\nb\n', 'c\n']);
  });

  it('keeps every write within the limit, whole lines only; a longer line goes alone', async () => {
    const writes: string[] = [];
    const line = batchedLines((chunk) => writes.push(chunk), 100);
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} ${'é'.repeat(i)}`);
    for (const l of lines) line(l);
    line('x'.repeat(300));
    await new Promise((r) => setImmediate(r));
    expect(writes.join('')).to.equal(`${lines.join('\n')}\n${'x'.repeat(300)}\n`);
    for (const w of writes.slice(0, -1)) {
      expect(Buffer.byteLength(w)).to.be.at.most(100);
      expect(w.endsWith('\n')).to.equal(true);
    }
    expect(writes.at(-1)).to.equal(`${'x'.repeat(300)}\n`);
  });

  it('writes what is queued when the process exits or dies of an uncaught error', async () => {
    const script = (end: string) =>
      `import { batchedLines } from './src/log.ts'; const l = batchedLines((c) => process.stdout.write(c)); l('first'); l('last'); ${end}`;
    const exited = await run(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script('process.exit(0)'),
    ]);
    expect(exited.stdout).to.equal('first\nlast\n');
    const died = await run(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script("throw new Error('boom')"),
    ]).catch((err: { stdout: string; code: number }) => err);
    expect(died.stdout).to.equal('first\nlast\n');
  });
});
