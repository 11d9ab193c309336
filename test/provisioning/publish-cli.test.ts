// `dialtone provisioning publish`: renders and pushes a PBX to real SFTP and FTP servers, prints what it uploaded,
// never prints a password, and refuses bad targets with a usage error before connecting.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { publishSettings } from '../../src/cli/publish-commands';
import { loadConfig } from '../../src/config';
import { loadOrCreateKeyFile } from '../../src/provisioning/key-file';
import { renderPbxForPublishing } from '../../src/provisioning/publish';
import { startFtpServer, type TestFtpServer } from '../fakes/ftp-server';
import { startSftpServer, type TestSftpServer } from '../fakes/sftp-server';
import { openPublishWorld, type PublishWorld, SITE_URL } from './publish-fixture';

describe('dialtone provisioning publish', function () {
  this.timeout(60_000);
  let w: PublishWorld;
  let sftp: TestSftpServer;
  let ftp: TestFtpServer;
  let dataDir: string;
  let root: string;
  // Copied in before(), not at load time: the global set-up adds TEST_DATABASE_URL after files load.
  let saved: NodeJS.ProcessEnv = {};
  const out: string[] = [];
  const err: string[] = [];
  const cli = (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, async () => w.services);
  };

  before(async () => {
    saved = { ...process.env };
    w = await openPublishWorld();
    [sftp, ftp] = await Promise.all([startSftpServer(), startFtpServer()]);
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-publish-data-'));
    root = mkdtempSync(join(tmpdir(), 'dialtone-publish-sftp-'));
    process.env.DATA_DIR = dataDir;
    process.env.PUBLIC_URL = 'http://dialtone.test';
    process.env.NTP_SERVER = 'ntp.site.test';
  });
  after(async () => {
    process.env = { ...saved };
    await Promise.all([sftp?.close(), ftp?.close()]);
    await w?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  async function expected() {
    const deps = {
      ...w.deps,
      settings: publishSettings(loadConfig(), SITE_URL, null),
      appTokenKey: loadOrCreateKeyFile(join(dataDir, 'keys', 'app-token.key')),
    };
    return (await renderPbxForPublishing(deps, w.pbx.id)).files;
  }

  it('renders and pushes over SFTP, printing each file and a summary, never the password', async () => {
    const to = `sftp://${sftp.username}@127.0.0.1:${sftp.port}${root}/phones`;
    const code = await cli(
      'provisioning',
      'publish',
      '--pbx',
      'acme',
      '--to',
      to,
      '--password',
      sftp.password,
      '--base-url',
      SITE_URL,
    );
    expect(code, err.join('\n')).to.equal(0);
    const files = await expected();
    expect(out.filter((l) => l.startsWith('uploaded '))).to.deep.equal([...files.keys()].map((f) => `uploaded ${f}`));
    expect(out.at(-1)).to.match(
      new RegExp(
        `^published 14 files \\(\\d+ bytes\\) of PBX acme to sftp://deploy@127\\.0\\.0\\.1:${sftp.port}${root}/phones$`,
      ),
    );
    for (const [name, body] of files)
      expect(readFileSync(join(root, 'phones', name)).equals(Buffer.from(body)), name).to.equal(true);
    // The server's own settings (here NTP from NTP_SERVER) are in the published files too.
    expect(files.get('805ec0000003.cfg')).to.contain('local_time.ntp_server1 = ntp.site.test');
    expect([...out, ...err].join('\n')).to.not.contain(sftp.password);
  });

  it('pushes over FTP with a warning that plain FTP is unencrypted; --json gives the result', async () => {
    const to = `ftp://${ftp.username}@127.0.0.1:${ftp.port}/phones`;
    const code = await cli(
      'provisioning',
      'publish',
      '--pbx',
      'acme',
      '--to',
      to,
      '--password',
      ftp.password,
      '--base-url',
      SITE_URL,
    );
    expect(code, err.join('\n')).to.equal(0);
    expect(err.join('\n')).to.match(/plain FTP .*unencrypted/);
    const files = await expected();
    for (const [name, body] of files)
      expect(readFileSync(join(ftp.root, 'phones', name)).equals(Buffer.from(body)), name).to.equal(true);
    expect(
      await cli(
        'provisioning',
        'publish',
        '--pbx',
        'acme',
        '--to',
        to,
        '--password',
        ftp.password,
        '--base-url',
        SITE_URL,
        '--json',
      ),
    ).to.equal(0);
    const json = JSON.parse(out.join('\n'));
    expect(json.uploaded).to.have.length(14);
    expect(json.skipped).to.deep.equal([]);
    expect(JSON.stringify(json)).to.not.contain(ftp.password);
  });

  it('fails with a clear message and exit 1 on a wrong password, without printing it', async () => {
    const to = `sftp://${sftp.username}@127.0.0.1:${sftp.port}${root}/phones`;
    const code = await cli(
      'provisioning',
      'publish',
      '--pbx',
      'acme',
      '--to',
      to,
      '--password',
      'Not-The-Password-77',
      '--base-url',
      SITE_URL,
    );
    expect(code).to.equal(1);
    expect(err.join('\n')).to.match(/publish to sftp:\/\/deploy@127\.0\.0\.1:\d+\S* failed: SFTP login .* refused/);
    expect([...out, ...err].join('\n')).to.not.contain('Not-The-Password-77');
  });

  it('refuses bad targets and options with a usage error before connecting', async () => {
    const base = ['provisioning', 'publish', '--pbx', 'acme', '--base-url', SITE_URL];
    const cases: [string[], RegExp][] = [
      [['--to', `ftp://u@127.0.0.1:${ftp.port}/phones/../etc`, '--password', 'x'], /\.\. segments/],
      [['--to', `sftp://u@127.0.0.1:${sftp.port}/a/%2e%2e/b`, '--password', 'x'], /remote directory part/],
      [['--to', 'sftp://u:secret@127.0.0.1/x', '--password', 'x'], /not inside the URL/],
      [['--to', 'http://u@127.0.0.1/x', '--password', 'x'], /ftp:\/\/user@host/],
      [['--to', 'ftp://u@127.0.0.1/x', '--password', 'x', '--key', '/nonexistent'], /exactly one of/],
      [['--to', 'ftp://u@127.0.0.1/x', '--password', 'a\r\nDELE b'], /line breaks/],
      [['--to', 'sftp://u@127.0.0.1/x', '--password', 'x', '--ftps'], /--ftps and --ca are for ftp/],
      [['--to', 'ftp://u@127.0.0.1/x'], /exactly one of/],
    ];
    for (const [args, message] of cases) {
      expect(await cli(...base, ...args), args.join(' ')).to.equal(2);
      expect(err.join('\n'), args.join(' ')).to.match(message);
    }
    expect(
      await cli('provisioning', 'publish', '--pbx', 'acme', '--to', 'ftp://u@127.0.0.1/x', '--password', 'x'),
    ).to.equal(2);
    expect(err.join('\n')).to.match(/missing --base-url/);
    expect(
      await cli(
        'provisioning',
        'publish',
        '--pbx',
        'acme',
        '--to',
        'ftp://u@127.0.0.1/x',
        '--password',
        'x',
        '--base-url',
        'ftp://x/y',
      ),
    ).to.equal(2);
    expect(
      await cli(
        'provisioning',
        'publish',
        '--pbx',
        'nope',
        '--to',
        'ftp://u@127.0.0.1/x',
        '--password',
        'x',
        '--base-url',
        SITE_URL,
      ),
    ).to.equal(1);
  });
});
