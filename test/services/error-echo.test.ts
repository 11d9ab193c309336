// Error messages that repeat what someone typed show it with control characters spelled out (never raw ESC, CR/LF,
// NUL, bidi overrides), through the services and through the real CLI binary that prints them to a terminal.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { DomainError, ValidationError } from '../../src/domain/errors';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, openFixture } from './fixture';
import { rejection } from './support';

/** Characters a terminal or a log viewer would act on. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** Red text, a carriage return over the line, NUL, DEL, a C1 CSI, a right-to-left override and a line separator. */
const HOSTILE = '\u001b[31m9\r\n\u0000\u007f\u009b2J\u202e\u2028x';

/** Every text an error carries: message, field names and field messages, referrers. */
function texts(err: Error): string[] {
  const out = [err.message];
  if (err instanceof ValidationError) for (const [k, v] of Object.entries(err.fields)) out.push(k, v);
  return out;
}

function expectClean(err: Error, what: string): void {
  expect(err, what).to.be.instanceOf(DomainError);
  for (const t of texts(err)) expect(CONTROL.test(t), `${what}: ${JSON.stringify(t)}`).to.equal(false);
}

forEachEngine('error messages quote input safely', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const ext = () => fx.a.ext['201'].id;

  it('the mwiMailboxes error shows the typed mailbox with its control characters escaped', async () => {
    const err = await rejection(
      fx.s.objects.update(SYSTEM, fx.a.pbx.id, 'extensions', ext(), { mwiMailboxes: [HOSTILE] }),
    );
    expectClean(err, 'mwiMailboxes');
    expect((err as ValidationError).fields.mwiMailboxes).to.contain('\\x1b[31m9\\x0d\\x0a');
  });

  const cases: Array<[string, () => Promise<unknown>]> = [
    ['an unknown feature-code key', () => fx.s.pbx.update(SYSTEM, fx.a.pbx.id, { featureCodes: { [HOSTILE]: '*5' } })],
    ['a feature code value', () => fx.s.pbx.update(SYSTEM, fx.a.pbx.id, { featureCodes: { intercom: HOSTILE } })],
    [
      'an attendant button key',
      () => fx.s.objects.create(SYSTEM, fx.a.pbx.id, 'attendants', { name: 'M', buttons: { [HOSTILE]: 'hangup' } }),
    ],
    [
      'a destination with too many parts',
      () =>
        fx.s.objects.update(SYSTEM, fx.a.pbx.id, 'extensions', ext(), { routing: { tryFirst: `${HOSTILE}:1:2:3` } }),
    ],
    [
      'a destination kind',
      () => fx.s.objects.update(SYSTEM, fx.a.pbx.id, 'extensions', ext(), { routing: { tryFirst: HOSTILE } }),
    ],
    [
      'permissions',
      () =>
        fx.s.users.create(SYSTEM, fx.a.pbx.id, {
          username: 'echo@acme.test',
          password: 'long enough password',
          type: 'admin',
          permissions: [HOSTILE],
        }),
    ],
    ['an unknown kind', () => fx.s.objects.list(SYSTEM, fx.a.pbx.id, HOSTILE)],
    ['a PBX context', () => fx.s.pbx.byContext(HOSTILE)],
    ['an extension number', () => fx.s.objects.update(SYSTEM, fx.a.pbx.id, 'extensions', ext(), { number: HOSTILE })],
    ['a name', () => fx.s.objects.update(SYSTEM, fx.a.pbx.id, 'extensions', ext(), { name: HOSTILE })],
  ];
  for (const [what, call] of cases)
    it(`${what}: the error carries no control character`, async () => {
      expectClean(await rejection(call()), what);
    });

  it('an employee changing fields they may not: the refusal names them escaped', async () => {
    const employee = {
      kind: 'user' as const,
      userId: 1,
      pbxId: fx.a.pbx.id,
      type: 'employee' as const,
      extensionId: ext(),
      permissions: ['extensions'],
    };
    const err = await rejection(
      fx.s.objects.update(employee as never, fx.a.pbx.id, 'extensions', ext(), { [HOSTILE]: 1 }),
    );
    expectClean(err, 'employee');
  });

  it('the CLI prints the refusal on one line without control characters', async () => {
    const err: string[] = [];
    const code = await runCli(
      ['list', 'extensions', '--pbx', HOSTILE],
      { out: () => {}, err: (t) => err.push(t) },
      async () => fx.s,
    );
    expect(code).to.equal(1);
    expect(err).to.have.length(1);
    expect(CONTROL.test(err[0] as string), JSON.stringify(err[0])).to.equal(false);
  });
});

describe('the dialtone binary echoing hostile input', function () {
  this.timeout(60_000);
  it('writes no control character to stderr for a bad option or an unknown PBX', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-cli-echo-'));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['bin/dialtone.js', ...args],
          { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } },
          (e, _out, stderr) => resolve({ code: e ? (e.code as number) : 0, stderr: String(stderr) }),
        );
      });
    try {
      const noNul = HOSTILE.replace('\u0000', '');
      for (const args of [
        ['list', 'extensions', '--pbx', noNul],
        ['list', 'extensions', '--pbx', 'x', `--${noNul}`],
        ['list', noNul, '--pbx', 'x'],
      ]) {
        const r = await run(args);
        expect(r.code, r.stderr).to.be.oneOf([1, 2]);
        const lines = r.stderr.replace(/\n$/, '').split('\n');
        expect(lines, r.stderr).to.have.length(1);
        expect(CONTROL.test(lines[0] as string), JSON.stringify(r.stderr)).to.equal(false);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
