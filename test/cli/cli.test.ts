// The operator CLI: every command through the real binary or in-process, exit codes and one-line reasons.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db';
import { createServices, type Services } from '../../src/services';

const run = promisify(execFile);

describe('dialtone CLI', () => {
  let services: Services;
  const out: string[] = [];
  const err: string[] = [];
  const cli = async (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, async () => services);
  };

  before(async () => {
    services = createServices(await openDatabase({ url: null, sqlitePath: ':memory:' }));
  });
  after(async () => services.orm.close(true));

  it('creates a PBX, refuses a duplicate with a one-line reason', async () => {
    expect(
      await cli('pbx', 'create', '--context', 'acme', '--name', 'Acme Corp', '--timezone', 'Europe/Paris'),
    ).to.equal(0);
    expect(out.join('\n')).to.contain('created PBX acme');
    expect(await cli('pbx', 'create', '--context', 'acme', '--name', 'Again')).to.equal(1);
    expect(err).to.have.length(1);
    expect(err[0]).to.contain('context PBX context "acme" already exists');
  });

  it('refuses hostile values and unknown options', async () => {
    expect(await cli('pbx', 'create', '--context', 'Bad;ctx', '--name', '${system(id)}')).to.equal(1);
    expect(err[0])
      .to.match(/context .*a-z/)
      .and.to.match(/name may contain/);
    expect(await cli('pbx', 'create', '--context', 'x', '--name', 'y', '--bogus', '1')).to.equal(2);
    expect(err[0]).to.contain('unknown option --bogus');
    expect(await cli('frobnicate')).to.equal(2);
  });

  it('seeds the demo once, lists every kind as text and JSON', async () => {
    expect(await cli('demo', '--context', 'demo')).to.equal(0);
    expect(out.join('\n')).to.match(/password: \S{16}/);
    expect(await cli('demo', '--context', 'demo')).to.equal(0);
    expect(out.join('\n')).to.contain('nothing changed');
    for (const kind of [
      'extensions',
      'mailboxes',
      'numbers',
      'devices',
      'e911',
      'attendants',
      'time-frames',
      'holidays',
      'groups',
      'conferences',
      'queues',
      'hold-music',
      'call-blocks',
      'trunks',
      'users',
      'listen-live',
    ]) {
      expect(await cli('list', kind, '--pbx', 'demo'), kind).to.equal(0);
      expect(await cli('list', kind, '--pbx', 'demo', '--json'), kind).to.equal(0);
      expect(() => JSON.parse(out.join('\n')), kind).to.not.throw();
    }
    await cli('list', 'extensions', '--pbx', 'demo', '--json');
    const exts = JSON.parse(out.join('\n'));
    expect(exts.map((e: { number: string }) => e.number)).to.deep.equal(['101', '102', '103']);
    expect(exts[0]).to.not.have.property('sipPassword');
    await cli('list', 'users', '--pbx', 'demo', '--json');
    expect(out.join('\n')).to.not.contain('scrypt');
  });

  it('creates users; an employee needs an existing extension', async () => {
    expect(
      await cli(
        'user',
        'create',
        '--pbx',
        'demo',
        '--username',
        'emp@demo.test',
        '--password',
        'correct horse battery',
        '--type',
        'employee',
        '--extension',
        '102',
      ),
    ).to.equal(0);
    expect(
      await cli(
        'user',
        'create',
        '--pbx',
        'demo',
        '--username',
        'emp2@demo.test',
        '--password',
        'correct horse battery',
        '--type',
        'employee',
        '--extension',
        '999',
      ),
    ).to.equal(1);
    expect(err[0]).to.contain('extension 999 does not exist');
    expect(
      await cli(
        'user',
        'create',
        '--pbx',
        'nope',
        '--username',
        'a@b.c',
        '--password',
        'correct horse battery',
        '--type',
        'admin',
      ),
    ).to.equal(1);
  });

  it('pbx set: the operator switches TFTP credential serving on and off', async () => {
    expect(await cli('pbx', 'set', '--pbx', 'demo', '--tftp-credentials', 'on', '--json')).to.equal(0);
    expect(JSON.parse(out.join('\n'))).to.deep.equal({ context: 'demo', tftpCredentials: true });
    expect((await services.pbx.byContext('demo')).tftpCredentials).to.equal(true);
    expect(await cli('pbx', 'set', '--pbx', 'demo', '--tftp-credentials', 'off')).to.equal(0);
    expect(out.join('\n')).to.contain('demo: TFTP credential serving off');
    expect((await services.pbx.byContext('demo')).tftpCredentials).to.equal(false);
    expect(await cli('pbx', 'set', '--pbx', 'demo', '--tftp-credentials', 'maybe')).to.equal(2);
    expect(err[0]).to.contain('--tftp-credentials must be on or off');
    expect(await cli('pbx', 'set', '--pbx', 'demo')).to.equal(2);
    expect(await cli('pbx', 'set', '--pbx', 'nope', '--tftp-credentials', 'on')).to.equal(1);
    expect(err[0]).to.contain('PBX "nope" does not exist');
  });

  it('runs as the real `dialtone` binary on a data folder', async function () {
    this.timeout(60000);
    const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-cli-'));
    try {
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
      const help = await run('node', ['bin/dialtone.js', '--help'], { env });
      expect(help.stdout).to.contain('dialtone pbx create'.replace('dialtone ', ''));
      await run('node', ['bin/dialtone.js', 'demo', '--context', 'shop'], { env });
      const listed = await run('node', ['bin/dialtone.js', 'list', 'extensions', '--pbx', 'shop', '--json'], { env });
      expect(JSON.parse(listed.stdout)).to.have.length(3);
      const failed = await run('node', ['bin/dialtone.js', 'list', 'extensions', '--pbx', 'missing'], { env }).catch(
        (e) => e,
      );
      expect(failed.code).to.equal(1);
      expect(failed.stderr.trim().split('\n')).to.have.length(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
