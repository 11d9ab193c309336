// `dialtone device add / arm / list / rotate` through runCli in-process: output shapes, model names, refusals.
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db';
import { digestHa1 } from '../../src/provisioning/digest';
import { createServices, type Services } from '../../src/services';
import { makePbx } from '../helpers/services';

describe('dialtone device CLI', () => {
  let services: Services;
  const out: string[] = [];
  const err: string[] = [];
  const cli = async (...argv: string[]) => {
    out.length = 0;
    err.length = 0;
    return runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, async () => services);
  };

  before(async () => {
    // Built without profile ids on purpose, as `dialtone` builds it: the device commands bring their own catalog.
    services = createServices(await openDatabase({ url: null, sqlitePath: ':memory:' }));
    await makePbx(services, 'acme');
  });
  after(async () => services.orm.close(true));

  const device = async (mac: string) => {
    const { DeviceSchema } = await import('../../src/domain/model');
    return services.orm.em.fork().findOneOrFail(DeviceSchema, { mac });
  };

  it('adds a phone by friendly model name and prints exactly {"username","password"} with --json', async () => {
    const code = await cli(
      'device',
      'add',
      '--pbx',
      'acme',
      '--mac',
      '00:04:F2:AB:CD:EF',
      '--model',
      'VVX 450',
      '--extension',
      '201',
      '--blf',
      '202',
      '--park',
      '701',
      '--json',
    );
    expect(code, err.join()).to.equal(0);
    expect(out).to.have.length(1);
    const printed = JSON.parse(out[0]!);
    expect(Object.keys(printed)).to.deep.equal(['username', 'password']);
    expect(printed.password).to.match(/^[A-Za-z0-9]{20,}$/);
    const d = await device('0004f2abcdef');
    expect(d.profileId).to.equal('polycom-vvx450');
    expect(d.provisioningUsername).to.equal(printed.username);
    expect(d.provisioningHa1).to.equal(digestHa1(printed.username, printed.password));
    const snap = await services.snapshot(d.pbxId);
    const id = (n: string) => snap.extensions.find((e) => e.number === n)?.id;
    expect(d.extensionIds).to.deep.equal([id('201')]);
    expect(d.lineKeys).to.deep.equal([
      { type: 'blf', extensionId: id('202') },
      { type: 'park', slot: 701 },
    ]);
    expect(JSON.stringify(d)).to.not.contain(printed.password);
  });

  for (const model of ['T54W', 'yealink-t54w', 'Yealink T54W', 't54w']) {
    it(`accepts the model "${model}"`, async () => {
      const mac = `805ec0${String(model.length).padStart(2, '0')}${model.charCodeAt(0).toString(16).padStart(4, '0')}`;
      expect(
        await cli('device', 'add', '--pbx', 'acme', '--mac', mac, '--model', model, '--extension', '202'),
        err.join(),
      ).to.equal(0);
      expect((await device(mac)).profileId).to.equal('yealink-t54w');
    });
  }

  it('prints the credentials as text without --json', async () => {
    expect(
      await cli('device', 'add', '--pbx', 'acme', '--mac', '805ec0000111', '--model', 'T46U', '--extension', '201,202'),
    ).to.equal(0);
    expect(out[0]).to.equal('added T46U 80:5e:c0:00:01:11 to acme');
    expect(out[1]).to.match(/^provisioning username: p[a-z0-9]{15}$/);
    expect(out[2]).to.match(/^provisioning password: [A-Za-z0-9]{25}$/);
    expect((await device('805ec0000111')).extensionIds).to.have.length(2);
  });

  it('refuses unknown models, extensions, duplicate MACs and bad MACs with one line and exit 1', async () => {
    expect(
      await cli('device', 'add', '--pbx', 'acme', '--mac', '805ec0000222', '--model', 'T99', '--extension', '201'),
    ).to.equal(1);
    expect(err[0]).to.match(/model unknown phone model "T99"; known: .*"VVX 450" \(polycom-vvx450\)/);
    expect(
      await cli('device', 'add', '--pbx', 'acme', '--mac', '805ec0000222', '--model', 'T54W', '--extension', '999'),
    ).to.equal(1);
    expect(err[0]).to.contain('extension 999 does not exist in acme');
    expect(
      await cli(
        'device',
        'add',
        '--pbx',
        'acme',
        '--mac',
        '00-04-f2-ab-cd-ef',
        '--model',
        'T54W',
        '--extension',
        '201',
      ),
    ).to.equal(1);
    expect(err[0]).to.contain('already registered');
    expect(
      await cli(
        'device',
        'add',
        '--pbx',
        'acme',
        '--mac',
        'ff:ff:ff:ff:ff:ff',
        '--model',
        'T54W',
        '--extension',
        '201',
      ),
    ).to.equal(1);
    expect(err[0]).to.contain('mac');
    expect(await cli('device', 'add', '--pbx', 'acme', '--mac', '805ec0000333', '--model', 'T54W')).to.equal(2);
    expect(err[0]).to.contain('missing --extension');
    expect(
      await cli('device', 'add', '--pbx', 'nope', '--mac', '805ec0000333', '--model', 'T54W', '--extension', '201'),
    ).to.equal(1);
  });

  it('arms the provisioning window (default 15 minutes, --minutes N) and refuses nonsense', async () => {
    const before = Date.now();
    expect(await cli('device', 'arm', '00:04:f2:ab:cd:ef')).to.equal(0);
    expect(out[0]).to.match(/^provisioning window for 00:04:f2:ab:cd:ef open until \d{4}-/);
    const armed = (await device('0004f2abcdef')).armedUntil!.getTime();
    expect(armed - before).to.be.within(15 * 60_000 - 5000, 15 * 60_000 + 5000);
    expect(await cli('device', 'arm', '0004f2abcdef', '--minutes', '5', '--json')).to.equal(0);
    const printed = JSON.parse(out[0]!);
    expect(printed.mac).to.equal('0004f2abcdef');
    expect(Date.parse(printed.armedUntil) - Date.now()).to.be.within(4 * 60_000, 5 * 60_000 + 5000);
    expect(await cli('device', 'arm', '0004f2abcdef', '--minutes', '0')).to.equal(1);
    expect(await cli('device', 'arm', '0004f2abcdef', '--minutes', 'x')).to.equal(2);
    expect(await cli('device', 'arm', '0004f2999999')).to.equal(1);
    expect(err[0]).to.contain('no phone with MAC 0004f2999999');
    expect(await cli('device', 'arm')).to.equal(2);
  });

  it('lists the phones as a table and as JSON without secrets', async () => {
    expect(await cli('device', 'list', '--pbx', 'acme')).to.equal(0);
    expect(out[0]).to.equal('mac\tmodel\textensions\tlabel\twindow until\tlast seen\tlast ip');
    expect(out.find((l) => l.startsWith('00:04:f2:ab:cd:ef'))).to.match(/^00:04:f2:ab:cd:ef\tVVX 450\t201\t/);
    expect(await cli('device', 'list', '--pbx', 'acme', '--json')).to.equal(0);
    const rows = JSON.parse(out.join('\n'));
    const row = rows.find((r: { mac: string }) => r.mac === '0004f2abcdef');
    expect(row).to.include({ model: 'VVX 450', profileId: 'polycom-vvx450' });
    expect(row.extensions).to.deep.equal(['201']);
    for (const r of rows) expect(r).to.not.have.any.keys('provisioningHa1', 'appTokenHash', 'appTokenSalt');
  });

  it('device list says under a row what the model cannot show (a Yealink and another mailbox)', async () => {
    const { SYSTEM } = await import('../../src/services/actor');
    const pbx = await services.pbx.byContext('acme');
    const ext202 = (await services.snapshot(pbx.id)).extensions.find((e) => e.number === '202');
    await services.objects.update(SYSTEM, pbx.id, 'extensions', ext202?.id as number, { mwiMailboxes: ['201'] });
    expect(
      await cli(
        'device',
        'add',
        '--pbx',
        'acme',
        '--mac',
        '80:5e:c0:00:00:02',
        '--model',
        'T54W',
        '--extension',
        '202',
      ),
    ).to.equal(0);
    expect(await cli('device', 'list', '--pbx', 'acme')).to.equal(0);
    expect(out).to.include(
      '80:5e:c0:00:00:02: The T54W cannot show message waiting for other mailboxes: mailbox 201 (watched by extension 202) will not light on this phone.',
    );
    expect(await cli('device', 'list', '--pbx', 'acme', '--json')).to.equal(0);
    const row = JSON.parse(out.join('\n')).find((r: { mac: string }) => r.mac === '805ec0000002');
    expect(row.warnings).to.have.length(1);
    await services.objects.update(SYSTEM, pbx.id, 'extensions', ext202?.id as number, { mwiMailboxes: [] });
  });

  it('rotates the provisioning password', async () => {
    const old = (await device('0004f2abcdef')).provisioningHa1;
    expect(await cli('device', 'rotate', '0004f2abcdef', '--json')).to.equal(0);
    const printed = JSON.parse(out[0]!);
    const d = await device('0004f2abcdef');
    expect(d.provisioningHa1).to.not.equal(old);
    expect(d.provisioningHa1).to.equal(digestHa1(printed.username, printed.password));
  });
});
