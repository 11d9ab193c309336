// Log lines are written in batches, once per turn of the event loop, never torn apart and never lost at exit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { batchedLines, createLogger, type Level } from '../src/log';

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

describe('createLogger', () => {
  // What the logger wrote before it built lines field by field: the reference its bytes are compared with.
  const reference = (time: string, level: Level, msg: string, base: object | undefined, fields?: object) => {
    const extra: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(fields ?? {}))
      extra[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
    return JSON.stringify({ time, level, msg, ...extra });
  };

  it('writes the same JSON as serialising the whole line at once, for every kind of field', () => {
    class WithProto {
      own = 1;
    }
    (WithProto.prototype as unknown as { inherited: number }).inherited = 2;
    const cases: Array<[object | undefined, object | undefined]> = [
      [undefined, undefined],
      [{ process: 'worker-1' }, undefined],
      [{ process: 'worker-1' }, { mac: '0004f2000001', ip: '127.0.0.1', file: 'a "quoted"\nname\u2028', n: 3 }],
      [
        undefined,
        { err: new TypeError('bad <thing>'), at: new Date(0), list: [1, 'two', null], deep: { a: { b: 1 } } },
      ],
      [{ process: 'w' }, { skipped: undefined, fn: () => 1, nil: null, no: false, nan: Number.NaN }],
      // Integer-like keys go before every other key of an object, the line's own too.
      [undefined, { 2: 'integer keys first', b: 1, 1: 'one' }],
      [undefined, new WithProto()],
      // Fields named like the line's own keys or a base field replace their value where the key first stood.
      [{ process: 'w' }, { time: 'mine', msg: 'other', level: 'x' }],
      [
        { process: 'w', pid: 7 },
        { a: 1, process: 'override' },
      ],
      [{ base: undefined }, { after: 1 }],
    ];
    for (const [base, fields] of cases) {
      const lines: string[] = [];
      const log = createLogger('debug', (l) => lines.push(l), base as Record<string, unknown> | undefined);
      log('warn', 'a "message" with\ttabs', fields as Record<string, unknown> | undefined);
      const line = lines[0] as string;
      // The time is whatever the line says (a field named time replaces it in both).
      const time = String((JSON.parse(line) as { time: unknown }).time);
      expect(line).to.equal(reference(time, 'warn', 'a "message" with\ttabs', base, fields));
    }
  });

  it('leaves out lines below its level', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log('debug', 'hidden');
    log('info', 'shown');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.deep.equal(['shown']);
  });
});
