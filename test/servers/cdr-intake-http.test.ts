// The CDR endpoint over real HTTP: refused records (malformed, unknown encoding, oversized) are answered 400 and
// kept in a bounded dead-letter folder with a log line; strangers' bytes are never kept; a failing store is a 500.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CallRecordInput } from '../../src/freeswitch/cdr/call-record';
import type { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { freeswitchListener } from '../../src/servers/freeswitch-http';
import { CdrDeadLetters, type DeadLetterLimits } from '../../src/services/cdr-dead-letter';
import { readCapturedRequest } from '../helpers/http-fixture';

const AUTH = `Basic ${Buffer.from('freeswitch:cdr-secret-123').toString('base64')}`;

describe('CDR intake over HTTP: refusals and dead letters', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let letters: CdrDeadLetters;
  let logged: Array<{ level: string; msg: string; fields?: Record<string, unknown> }>;
  let stored: CallRecordInput[];
  let failing: boolean;

  async function start(limits: DeadLetterLimits, cdrMaxBytes?: number): Promise<void> {
    server?.close();
    letters = new CdrDeadLetters(join(dir, 'cdr-dead-letter'), limits, (level, msg, fields) =>
      logged.push({ level, msg, fields }),
    );
    const listener = freeswitchListener(
      {
        answerer: {} as XmlCurlAnswerer,
        ingest: async (r) => {
          if (failing) throw new Error('database unreachable');
          stored.push(r);
          return true;
        },
        username: 'freeswitch',
        password: 'cdr-secret-123',
        allow: ['127.0.0.1'],
        log: (level, msg, fields) => logged.push({ level, msg, fields }),
        deadLetters: letters,
        ...(cdrMaxBytes && { cdrMaxBytes }),
      },
      (_req, res) => res.end('app'),
    );
    server = createServer(listener).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const post = (body: string | Buffer, contentType = 'application/json', auth = AUTH, query = '') =>
    fetch(`${base}/freeswitch/cdr${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: auth },
      body,
    });
  const letterBody = (name: string) => readFileSync(join(letters.dir, `${name}.cdr`));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-dead-letter-'));
    logged = [];
    stored = [];
    failing = false;
    await start({ maxFiles: 100, maxBytes: 100 * 1024 * 1024 });
  });
  afterEach(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a malformed record 400 and keeps its exact bytes, why, and the uuid FreeSWITCH named, with a log line', async () => {
    const captured = readCapturedRequest('cdr/cdr-busy-json_cdr-a-leg.http');
    const truncated = captured.body.subarray(0, 3000);
    const res = await post(truncated, 'application/json', AUTH, '?uuid=8feabe20-bfe1-4a1d-a0f3-ae5325f5bcf1');
    expect(res.status).to.equal(400);
    expect(await res.text()).to.match(/^not JSON/);
    const [letter] = await letters.list();
    expect(letterBody(letter.name).equals(truncated)).to.equal(true);
    expect(letter.meta).to.deep.include({
      problem: 'malformed',
      contentType: 'application/json',
      remoteAddress: '127.0.0.1',
      bytes: 3000,
      truncated: false,
      uuid: '8feabe20-bfe1-4a1d-a0f3-ae5325f5bcf1',
    });
    expect(logged.find((l) => l.msg === 'cdr refused and kept as a dead letter')?.fields).to.include({
      letter: letter.name,
      problem: 'malformed',
    });
    expect(stored).to.have.length(0);
  });

  it('keeps a record in an encoding it does not read, and an oversized one (answered 400, read to the end)', async () => {
    const xml = readCapturedRequest('cdr/cdr-answered-xml_cdr-a-leg.http').body;
    expect((await post(xml, 'text/plain')).status).to.equal(400);
    await start({ maxFiles: 100, maxBytes: 100 * 1024 * 1024 }, 20_000);
    const res = await post(xml, 'application/x-www-form-urlencoded');
    expect(res.status).to.equal(400);
    expect(await res.text()).to.equal(`body of ${xml.length} bytes is over 20000\n`);
    const [encoding, oversized] = await letters.list();
    expect(encoding.meta).to.include({ problem: 'encoding', contentType: 'text/plain' });
    expect(oversized.meta).to.include({ problem: 'oversized', bytes: xml.length, truncated: false });
    expect(letterBody(oversized.name).equals(xml)).to.equal(true);
  });

  it('keeps nothing a caller without the credentials sent', async () => {
    const res = await post(
      '{not json',
      'application/json',
      `Basic ${Buffer.from('freeswitch:nope').toString('base64')}`,
    );
    expect(res.status).to.equal(401);
    expect(await letters.list()).to.deep.equal([]);
  });

  it('stays bounded: beyond the file count or the total size the oldest letters go first, each logged', async () => {
    await start({ maxFiles: 3, maxBytes: 100 * 1024 * 1024 });
    for (let i = 0; i < 5; i++) expect((await post(`{"broken": ${i}`)).status).to.equal(400);
    const kept = await letters.list();
    expect(kept.map((l) => letterBody(l.name).toString())).to.deep.equal([
      '{"broken": 2',
      '{"broken": 3',
      '{"broken": 4',
    ]);
    expect(logged.filter((l) => l.msg === 'cdr dead letter dropped (folder full)')).to.have.length(2);
    await start({ maxFiles: 100, maxBytes: 2500 });
    for (let i = 0; i < 3; i++) await post(`{"x": "${String(i).repeat(1000)}"`);
    const bySize = await letters.list();
    expect(bySize.reduce((n, l) => n + l.bytes, 0)).to.be.at.most(2500);
    expect(letterBody(bySize[bySize.length - 1].name).toString()).to.contain('2222');
  });

  it('answers 500 when the record cannot be stored (FreeSWITCH retries, then keeps it): no dead letter', async () => {
    failing = true;
    const captured = readCapturedRequest('cdr/cdr-busy-json_cdr-a-leg.http');
    expect((await post(captured.body)).status).to.equal(500);
    failing = false;
    expect((await post(captured.body)).status).to.equal(200);
    expect(stored).to.have.length(1);
    expect(await letters.list()).to.deep.equal([]);
  });
});
