// Importing FreeSWITCH's err-log-dir on both engines: the files it writes (captured posts saved the way the modules
// save them) become calls once each, imported files move away, half-written ones wait, dead ones are set aside.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { CallRecordSchema } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { ingestCallRecord } from '../../src/services/call-records';
import { importCdrDirectory } from '../../src/services/cdr-import';
import { forEachEngine } from '../helpers/databases';
import { readCapturedRequest } from '../helpers/http-fixture';
import { openWorld, type TestWorld } from '../helpers/services';

const ANSWERED = '7966df81-42b0-4111-ba2a-f2d663b74887';
const BUSY = '8feabe20-bfe1-4a1d-a0f3-ae5325f5bcf1';
const VOICEMAIL = 'd6c212bd-ceab-46d5-9342-d217543ce8d5';
const body = (f: string) => readCapturedRequest(`cdr/${f}`).body.toString('utf8');

/** An err-log-dir as the modules leave it: json_cdr (encode=false) writes the JSON and a newline; xml_cdr writes the
 * URL-encoded document (the post without `cdr=`); base64 and rotate subfolders exist too. */
function errLogDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-cdr-err-'));
  writeFileSync(join(dir, `${ANSWERED}.cdr.json`), `${body('cdr-answered-json_cdr-a-leg.http')}\n`);
  writeFileSync(join(dir, `a_${ANSWERED}.cdr.xml`), body('cdr-answered-xml_cdr-a-leg.http').replace(/^cdr=/, ''));
  writeFileSync(join(dir, '67f2b68c-18a9-450c-85fb-e6d89cf216bf.cdr.json'), body('cdr-answered-json_cdr-b-leg.http'));
  mkdirSync(join(dir, '2026-11-25-18-30-00'));
  writeFileSync(
    join(dir, '2026-11-25-18-30-00', `${BUSY}.cdr.json`),
    `${Buffer.from(body('cdr-busy-json_cdr-a-leg.http')).toString('base64')}\n`,
  );
  writeFileSync(join(dir, 'README.txt'), 'not a record');
  return dir;
}

forEachEngine('CDR import from FreeSWITCH files', (engine) => {
  let w: TestWorld;
  let dir: string;
  const warnings: string[] = [];
  const opts = () => ({
    ingest: (r: Parameters<typeof ingestCallRecord>[1]) => ingestCallRecord(w.orm, r),
    log: (level: string, msg: string) => {
      if (level !== 'info') warnings.push(msg);
    },
  });
  before(async () => {
    w = await openWorld(engine);
    await w.services.pbx.create(SYSTEM, { context: 'acme', name: 'Acme', domain: 'acme.pbx.test', timezone: 'UTC' });
  });
  after(() => w?.close());
  beforeEach(() => {
    dir = errLogDir();
    warnings.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const calls = async () =>
    (await w.orm.em.fork().find(CallRecordSchema, {}, { orderBy: { uuid: 'asc' } })).map((r) => r.uuid);

  it('stores each call once, whichever module wrote it and however often it is imported, and moves the files', async () => {
    const first = await importCdrDirectory(dir, opts());
    expect(first).to.deep.include({ files: 4, stored: 2, ignored: 2, pending: 0, failed: 0, notMoved: 0 });
    expect(await calls()).to.deep.equal([ANSWERED, BUSY]);
    expect(readdirSync(dir).sort()).to.deep.equal(['.imported', '2026-11-25-18-30-00', 'README.txt']);
    expect(readdirSync(join(dir, '.imported'))).to.have.length(4);
    // Nothing left; the same files again (an operator copies them back) change nothing.
    expect(await importCdrDirectory(dir, opts())).to.deep.include({ files: 0, stored: 0 });
    cpSync(join(dir, '.imported'), join(dir, 'again'), { recursive: true });
    for (const f of readdirSync(join(dir, 'again'))) cpSync(join(dir, 'again', f), join(dir, f));
    expect(await importCdrDirectory(dir, opts())).to.deep.include({ files: 4, stored: 0, ignored: 4 });
    expect(await calls()).to.deep.equal([ANSWERED, BUSY]);
  });

  it('leaves a file that does not read yet (being written) for later, and sets it aside once it stayed unreadable', async () => {
    const whole = `${body('cdr-voicemail-json_cdr-a-leg.http')}\n`;
    const path = join(dir, `${VOICEMAIL}.cdr.json`);
    writeFileSync(path, whole.slice(0, 4000));
    expect(await importCdrDirectory(dir, opts())).to.deep.include({ pending: 1, failed: 0 });
    expect(existsSync(path)).to.equal(true);
    writeFileSync(path, whole); // FreeSWITCH finished writing it
    expect(await importCdrDirectory(dir, opts())).to.deep.include({ stored: 1, pending: 0 });
    expect(await calls()).to.include(VOICEMAIL);

    const dead = join(dir, '11111111-2222-4333-8444-555555555555.cdr.json');
    writeFileSync(dead, '{"variables": {"uuid"');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(dead, old, old);
    expect(await importCdrDirectory(dir, opts())).to.deep.include({ failed: 1 });
    expect(readdirSync(join(dir, '.failed'))).to.deep.equal(['11111111-2222-4333-8444-555555555555.cdr.json']);
    expect(warnings).to.include('cdr import: unreadable call record file set aside');
  });

  it('fails the run when the store fails, leaving the files for the next run', async () => {
    const failing = { ...opts(), ingest: async () => Promise.reject(new Error('database down')) };
    let thrown: Error | null = null;
    await importCdrDirectory(dir, failing).catch((e: Error) => {
      thrown = e;
    });
    expect(String(thrown)).to.contain('database down');
    expect(readdirSync(dir)).to.include(`${ANSWERED}.cdr.json`);
  });

  it('is `dialtone cdr import DIR [--json]`: exit 0 with the counts, 1 for a missing folder, 2 for no folder', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const cli = (...argv: string[]) =>
      runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, async () => w.services);
    expect(await cli('cdr', 'import', dir, '--json')).to.equal(0);
    expect(JSON.parse(out.join('\n'))).to.include({ files: 4, failed: 0 });
    out.length = 0;
    expect(await cli('cdr', 'import', dir)).to.equal(0);
    expect(out.join('\n')).to.match(/^0 call-record files in /);
    expect(await cli('cdr', 'import', join(dir, 'missing'))).to.equal(1);
    expect(err.pop()).to.match(/does not exist/);
    expect(await cli('cdr', 'import')).to.equal(2);
  });
});
