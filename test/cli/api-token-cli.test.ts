// `dialtone api-token create / list / revoke` through runCli in-process: the token prints once, exit codes, refusals.
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db';
import { ApiTokenSchema } from '../../src/domain/model';
import { createServices, type Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import { sha256Hex } from '../../src/services/secrets';
import { makePbx } from '../helpers/services';

describe('dialtone api-token CLI', () => {
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
    const acme = await makePbx(services, 'acme');
    await makePbx(services, 'other');
    await services.users.create(SYSTEM, acme.pbx.id, {
      username: 'ops@acme.test',
      password: 'correct horse battery',
      type: 'admin',
    });
  });
  after(async () => services.orm.close(true));

  it('creates a token for a user and prints it once; --json gives the token and its public fields', async () => {
    expect(
      await cli('api-token', 'create', '--pbx', 'acme', '--username', 'OPS@acme.test', '--name', 'Sync'),
      err.join(),
    ).to.equal(0);
    expect(out.join('\n')).to.match(/token: dt_[A-Za-z0-9_-]{43}\n/);
    expect(await cli('api-token', 'create', '--pbx', 'acme', '--username', 'ops@acme.test', '--json')).to.equal(0);
    const printed = JSON.parse(out[0]!);
    expect(printed.token).to.match(/^dt_[A-Za-z0-9_-]{43}$/);
    expect(printed).to.include({ name: 'API token', username: 'ops@acme.test', revokedAt: null });
    const row = await services.orm.em.fork().findOneOrFail(ApiTokenSchema, { id: printed.id });
    expect(row.tokenHash).to.equal(sha256Hex(printed.token));
    expect((await services.apiTokens.authenticate(printed.token))?.user.username).to.equal('ops@acme.test');
  });

  it('lists without the token; revokes; the revoked token stops authenticating', async () => {
    expect(await cli('api-token', 'create', '--pbx', 'acme', '--username', 'ops@acme.test', '--json')).to.equal(0);
    const { id, token } = JSON.parse(out[0]!);
    expect(await cli('api-token', 'list', '--pbx', 'acme', '--json')).to.equal(0);
    const listed = JSON.parse(out.join('\n'));
    expect(listed.map((t: { id: number }) => t.id)).to.include(id);
    expect(out.join('\n')).to.not.include(token.slice(7));
    expect(await cli('api-token', 'list', '--pbx', 'acme')).to.equal(0);
    expect(out[0]).to.equal('id\tuser\tname\ttoken\tcreated\tlast used\trevoked');
    expect(await cli('api-token', 'revoke', '--pbx', 'acme', '--id', String(id), '--json')).to.equal(0);
    expect(JSON.parse(out[0]!).revokedAt).to.be.a('string');
    expect(await services.apiTokens.authenticate(token)).to.equal(null);
  });

  it('refuses with exit 1 and one line: unknown user, user of another PBX, token of another PBX, bad name', async () => {
    expect(await cli('api-token', 'create', '--pbx', 'acme', '--username', 'nobody@acme.test')).to.equal(1);
    expect(err).to.have.length(1);
    expect(err[0]).to.match(/^dialtone: user nobody@acme.test does not exist in acme$/);
    expect(await cli('api-token', 'create', '--pbx', 'other', '--username', 'ops@acme.test')).to.equal(1);
    expect(await cli('api-token', 'create', '--pbx', 'acme', '--username', 'ops@acme.test', '--json')).to.equal(0);
    const { id } = JSON.parse(out[0]!);
    expect(await cli('api-token', 'revoke', '--pbx', 'other', '--id', String(id))).to.equal(1);
    expect(err[0]).to.match(/does not exist/);
    expect(await cli('api-token', 'create', '--pbx', 'acme', '--username', 'ops@acme.test', '--name', '<x>')).to.equal(
      1,
    );
    expect(err[0]).to.match(/^dialtone: name /);
  });

  it('usage errors exit 2', async () => {
    expect(await cli('api-token', 'create', '--pbx', 'acme')).to.equal(2);
    expect(await cli('api-token', 'revoke', '--pbx', 'acme', '--id', 'abc')).to.equal(2);
    expect(await cli('api-token', 'list', '--pbx', 'acme', 'extra')).to.equal(2);
    expect(await cli('api-token', 'create', '--pbx', 'acme', '--username', 'ops@acme.test', '--bogus', 'x')).to.equal(
      2,
    );
  });
});
