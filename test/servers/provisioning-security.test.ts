// Security of the HTTP provisioning server: one answer for every refusal, digest, the one-shot window, MAC mismatch,
// the per-IP miss limit and its allow-list, hostile names, upload limits, and no database writes from misses.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { polycomParams, yealinkParams } from '../provisioning/render-fixtures';
import { openWorld, rawExchange, send, sendDigest, T0, type World } from './provisioning-world';

const run = promisify(execFile);

const POLY_MAC = '0004f2000001';
const YEA_MAC = '805ec0000002';
const OTHER_YEA_MAC = '805ec0000003';
const POLY_UA = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.0123 Type/Application';
const yealinkUa = (mac: string) => `Yealink SIP-T54W 96.86.0.100 ${mac.match(/../g)!.join(':')}`;

describe('HTTP provisioning security', function () {
  this.timeout(30_000);
  let w: World;
  const creds: Record<string, { username: string; password: string }> = {};

  async function add(mac: string, profileId: string) {
    creds[mac] = await w.devices.add(SYSTEM, w.pbx.id, { mac, profileId, extensionIds: [w.ext['201']!.id] });
  }

  beforeEach(async () => {
    w = await openWorld({ limits: { perMinute: 20, allow: ['127.0.0.3/32'] }, uploadLimitBytes: 256 * 1024 });
    await add(POLY_MAC, 'polycom-vvx450');
    await add(YEA_MAC, 'yealink-t54w');
    await add(OTHER_YEA_MAC, 'yealink-t54w');
  });
  afterEach(async () => w?.close());

  const raw = (path: string, extra = '') =>
    rawExchange(w, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);

  it('answers an unknown MAC and a wrong password with the very same bytes', async () => {
    const unknown = await raw('/provisioning/805ec0999999.cfg');
    const challenge = /nonce="([^"]+)"/.exec(unknown.toString())![1];
    const wrong = `Authorization: Digest username="${creds[YEA_MAC]!.username}", realm="dialtone-provisioning", nonce="${challenge}", uri="/provisioning/${YEA_MAC}.cfg", qop=auth, nc=00000001, cnonce="abc", response="00000000000000000000000000000000"\r\n`;
    const badPassword = await raw(`/provisioning/${YEA_MAC}.cfg`, wrong);
    const noCredentials = await raw(`/provisioning/${YEA_MAC}.cfg`);
    const wrongUserForUnknown = await raw('/provisioning/805ec0999999.cfg', wrong.replace(YEA_MAC, '805ec0999999'));
    expect(unknown.toString()).to.match(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(unknown.toString()).to.contain('WWW-Authenticate: Digest realm="dialtone-provisioning", qop="auth"');
    expect(badPassword.equals(unknown), badPassword.toString()).to.equal(true);
    expect(noCredentials.equals(unknown)).to.equal(true);
    expect(wrongUserForUnknown.equals(unknown)).to.equal(true);
    // Polycom names too: unknown, known without credentials, known with another phone's credentials.
    const pUnknown = await raw('/provisioning/0004f2999999-user.cfg');
    expect(pUnknown.equals(unknown)).to.equal(true);
    const other = await sendDigest(
      w,
      `/provisioning/${POLY_MAC}-user.cfg`,
      creds[YEA_MAC]!.username,
      creds[YEA_MAC]!.password,
    );
    expect(other.status, 'credentials are bound to their MAC').to.equal(401);
  });

  it('serves with digest credentials, from a real client (curl --digest)', async () => {
    const { username, password } = creds[YEA_MAC]!;
    const { stdout } = await run('curl', [
      '-sS',
      '--digest',
      '-u',
      `${username}:${password}`,
      '-A',
      yealinkUa(YEA_MAC),
      '-w',
      '\n%{http_code}',
      `${w.base}/provisioning/${YEA_MAC}.cfg`,
    ]);
    const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
    expect(status).to.equal('200');
    expect(yealinkParams(stdout.slice(0, stdout.lastIndexOf('\n'))).get('account.1.user_name')).to.equal('201');
    const bad = await run('curl', [
      '-sS',
      '--digest',
      '-u',
      `${username}:nope`,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `${w.base}/provisioning/${YEA_MAC}.cfg`,
    ]);
    expect(bad.stdout).to.equal('401');
  });

  it('tells a right password on an expired nonce that it is stale', async () => {
    const { username, password } = creds[YEA_MAC]!;
    const first = await send(w, `/provisioning/${YEA_MAC}.cfg`);
    w.clock.ms += 10 * 60_000;
    const nonce = /nonce="([^"]+)"/.exec(String(first.headers['www-authenticate']))![1]!;
    const { createHash } = await import('node:crypto');
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const uri = `/provisioning/${YEA_MAC}.cfg`;
    const ha1 = md5(`${username}:dialtone-provisioning:${password}`);
    const response = md5(`${ha1}:${nonce}:00000001:c1:auth:${md5(`GET:${uri}`)}`);
    const auth = `Digest username="${username}", realm="dialtone-provisioning", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="c1", response="${response}"`;
    const stale = await send(w, uri, { headers: { Authorization: auth } });
    expect(stale.status).to.equal(401);
    expect(String(stale.headers['www-authenticate'])).to.match(/stale=true$/);
    // A replay against another file (digest uri mismatch) is refused.
    const moved = await send(w, `/provisioning/${OTHER_YEA_MAC}.cfg`, { headers: { Authorization: auth } });
    expect(String(moved.headers['www-authenticate'])).to.not.contain('stale');
  });

  it('window: one fetch without credentials teaches a new password, then the window is closed', async () => {
    const until = await w.devices.arm(SYSTEM, POLY_MAC, 15, new Date(T0));
    expect(until.toISOString()).to.equal(new Date(T0 + 15 * 60_000).toISOString());
    const ua = { headers: { 'User-Agent': POLY_UA } };
    // Non-secret per-phone files pass without consuming the window.
    expect((await send(w, `/provisioning/${POLY_MAC}.cfg`, ua)).status).to.equal(200);
    expect((await send(w, `/provisioning/${POLY_MAC}-directory.xml`, ua)).status).to.equal(200);
    const head = await send(w, `/provisioning/${POLY_MAC}-user.cfg`, { ...ua, method: 'HEAD' });
    expect(head.status, 'HEAD does not use the window').to.equal(200);
    expect(head.body.length).to.equal(0);

    const got = await send(w, `/provisioning/${POLY_MAC}-user.cfg`, ua);
    expect(got.status).to.equal(200);
    const params = polycomParams(got.body.toString());
    expect(params.get('device.prov.user')).to.equal(creds[POLY_MAC]!.username);
    const learned = params.get('device.prov.password')!;
    expect(learned).to.have.length.of.at.least(20);
    expect(learned).to.not.equal(creds[POLY_MAC]!.password);

    expect((await send(w, `/provisioning/${POLY_MAC}-user.cfg`, ua)).status, 'window closed').to.equal(401);
    const d = await w.devices.byMac(SYSTEM, POLY_MAC);
    expect(d.armedUntil).to.equal(null);
    const withLearned = await sendDigest(w, `/provisioning/${POLY_MAC}-user.cfg`, d.provisioningUsername, learned, ua);
    expect(withLearned.status).to.equal(200);
    expect(polycomParams(withLearned.body.toString()).has('device.prov.password')).to.equal(false);
    const withOld = await sendDigest(
      w,
      `/provisioning/${POLY_MAC}-user.cfg`,
      d.provisioningUsername,
      creds[POLY_MAC]!.password,
      ua,
    );
    expect(withOld.status, 'the installer password was replaced').to.equal(401);
    const used = w.logs.find(
      (l) => l.msg === 'provisioning: file with credentials served' && l.fields.via === 'window',
    );
    expect(used?.fields).to.include({ mac: POLY_MAC, ip: '127.0.0.1' });
  });

  it('window: expires on its own and is per MAC', async () => {
    await w.devices.arm(SYSTEM, YEA_MAC, 1, new Date(T0));
    expect((await send(w, `/provisioning/${OTHER_YEA_MAC}.cfg`)).status, 'another MAC').to.equal(401);
    w.clock.ms = T0 + 61_000;
    expect((await send(w, `/provisioning/${YEA_MAC}.cfg`)).status, 'expired').to.equal(401);
    w.clock.ms = T0 + 30_000;
    const got = await send(w, `/provisioning/${YEA_MAC}.cfg`, { headers: { 'User-Agent': yealinkUa(YEA_MAC) } });
    expect(got.status).to.equal(200);
    const cfg = yealinkParams(got.body.toString());
    expect(cfg.get('static.auto_provision.server.username')).to.equal(creds[YEA_MAC]!.username);
    expect(cfg.get('static.auto_provision.server.password')).to.match(/^[A-Za-z0-9_-]{24}$/);
  });

  it('refuses a User-Agent MAC that differs from the path MAC, like an unknown MAC', async () => {
    const { username, password } = creds[YEA_MAC]!;
    const mismatch = await sendDigest(w, `/provisioning/${YEA_MAC}.cfg`, username, password, {
      headers: { 'User-Agent': yealinkUa(OTHER_YEA_MAC) },
    });
    expect(mismatch.status).to.equal(401);
    await w.devices.arm(SYSTEM, YEA_MAC, 15, new Date(T0));
    const armed = await send(w, `/provisioning/${YEA_MAC}.cfg`, {
      headers: { 'User-Agent': yealinkUa(OTHER_YEA_MAC) },
    });
    expect(armed.status, 'not even inside the window').to.equal(401);
    expect(w.logs.some((l) => l.fields.reason === 'user-agent-mac-mismatch')).to.equal(true);
    const matching = await sendDigest(w, `/provisioning/${YEA_MAC}.cfg`, username, password, {
      headers: { 'User-Agent': yealinkUa(YEA_MAC) },
    });
    expect(matching.status).to.equal(200);
  });

  it('rate-limits MAC-shaped misses per source address, never an allow-listed one', async () => {
    const scan = async (from: string, n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i++)
        statuses.push((await send(w, `/provisioning/805ec0aa${String(i).padStart(4, '0')}.cfg`, { from })).status);
      return statuses;
    };
    const scanner = await scan('127.0.0.2', 25);
    expect(scanner.slice(0, 20).every((s) => s === 401)).to.equal(true);
    expect(scanner.slice(20).every((s) => s === 429)).to.equal(true);
    const limited = await send(w, `/provisioning/${YEA_MAC}.cfg`, { from: '127.0.0.2' });
    expect(limited.status, 'known MACs too, before any lookup').to.equal(429);
    expect(Number(limited.headers['retry-after'])).to.be.greaterThan(0);
    expect((await send(w, '/provisioning/y000000000096.cfg', { from: '127.0.0.2' })).status, 'shared files').to.equal(
      200,
    );
    expect(
      (await scan('127.0.0.3', 30)).every((s) => s === 401),
      'allow-listed NAT',
    ).to.equal(true);
    expect(
      (await scan('127.0.0.4', 5)).every((s) => s === 401),
      'another address',
    ).to.equal(true);
    const misses = w.logs.filter((l) => l.msg === 'provisioning: miss');
    expect(misses.some((l) => l.fields.ip === '127.0.0.3' && l.fields.allowListed === true)).to.equal(true);
    w.clock.ms += 60_000;
    expect((await scan('127.0.0.2', 1))[0], 'refilled after a minute').to.equal(401);
  });

  it('counts a registered MAC asked without credentials exactly like an unknown MAC (the limiter tells nothing)', async () => {
    const statuses = async (from: string, mac: string) => {
      const out: number[] = [];
      for (let i = 0; i < 22; i++) out.push((await send(w, `/provisioning/${mac}.cfg`, { from })).status);
      return out;
    };
    const registered = await statuses('127.0.0.6', YEA_MAC);
    const unknown = await statuses('127.0.0.7', '805ec0999999');
    expect(registered).to.deep.equal(unknown);
    expect(registered).to.deep.equal([...Array(20).fill(401), 429, 429]);
    // Wrong credentials count the same too.
    const { username } = creds[YEA_MAC]!;
    for (let i = 0; i < 20; i++)
      expect(
        (await sendDigest(w, `/provisioning/${YEA_MAC}.cfg`, username, 'wrong', { from: '127.0.0.8' })).status,
      ).to.equal(
        i < 10 ? 401 : 429, // two refusals per try: the challenge and the wrong answer
      );
  });

  it('never throttles a phone by its own challenge: 1 challenge + digest fetches, many phones behind one address', async () => {
    const boots: Array<Promise<number[]>> = [];
    for (const mac of [YEA_MAC, OTHER_YEA_MAC, POLY_MAC]) {
      const { username, password } = creds[mac]!;
      const file = mac === POLY_MAC ? `/provisioning/${mac}-user.cfg` : `/provisioning/${mac}.cfg`;
      const headers = mac === POLY_MAC ? { 'User-Agent': POLY_UA } : { 'User-Agent': yealinkUa(mac) };
      boots.push(
        (async () => {
          const seen: number[] = [];
          // Forty boots of each phone in a row from the same NAT address: far more than the 20-token budget.
          for (let i = 0; i < 40; i++)
            seen.push((await sendDigest(w, file, username, password, { from: '127.0.0.9', headers })).status);
          return seen;
        })(),
      );
    }
    for (const seen of await Promise.all(boots))
      expect(
        seen.every((s) => s === 200),
        JSON.stringify(seen),
      ).to.equal(true);
  });

  it('a guesser holding one phone’s credentials gets no more guesses by logging in between them', async () => {
    const { username, password } = creds[YEA_MAC]!;
    const guess = async (i: number) =>
      (await send(w, `/provisioning/805ec0ab${String(i).padStart(4, '0')}.cfg`, { from: '127.0.0.10' })).status;
    for (let i = 0; i < 19; i++) expect(await guess(i)).to.equal(401);
    // Its own phone's challenge and login: the challenge's token comes back, nothing more.
    expect(
      (await sendDigest(w, `/provisioning/${YEA_MAC}.cfg`, username, password, { from: '127.0.0.10' })).status,
    ).to.equal(200);
    expect(await guess(19)).to.equal(401);
    expect(await guess(20)).to.equal(429);
  });

  it('counts MAC-shaped names no phone can have as misses', async () => {
    for (let i = 0; i < 20; i++)
      expect((await send(w, '/provisioning/ffffffffffff.cfg', { from: '127.0.0.5' })).status).to.equal(404);
    expect((await send(w, '/provisioning/805ec0aa0001.cfg', { from: '127.0.0.5' })).status).to.equal(429);
  });

  for (const [title, target] of [
    ['dot-dot', '/provisioning/../../etc/passwd'],
    ['encoded dot-dot', '/provisioning/..%2f..%2fetc%2fpasswd'],
    ['encoded dots', '/provisioning/%2e%2e/%2e%2e/etc/passwd'],
    ['double encoding', '/provisioning/%252e%252e%252fpasswd'],
    ['firmware escape', '/provisioning/firmware/..%2f..%2fdialtone.sqlite'],
    ['backslash', '/provisioning/..%5c..%5cwin.ini'],
    ['NUL', '/provisioning/0004f2000001.cfg%00.txt'],
    ['bad escape', '/provisioning/%zz.cfg'],
    ['dot file', '/provisioning/.env'],
    ['semicolon', '/provisioning/0004f2000001.cfg;ls'],
    ['unicode', '/provisioning/%C3%A9t%C3%A9.cfg'],
    ['very long', `/provisioning/${'a'.repeat(2000)}.cfg`],
    ['empty', '/provisioning/'],
    ['directory', '/provisioning/firmware/'],
    ['unknown file', '/provisioning/index.html'],
  ])
    it(`refuses odd names: ${title}`, async () => {
      const r = await rawExchange(w, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      const status = Number(r.toString().slice(9, 12));
      expect([400, 404], r.toString().slice(0, 80)).to.include(status);
      expect(r.toString()).to.not.contain('root:');
    });

  it('stores uploads atomically, size-limited, only for authenticated known phones', async () => {
    const { username, password } = creds[POLY_MAC]!;
    const target = `/provisioning/${POLY_MAC}-app.log`;
    const limit = Buffer.alloc(256 * 1024, 'a');
    expect((await sendDigest(w, target, username, password, { method: 'PUT', body: limit })).status).to.equal(204);
    const stored = join(w.dataDir, 'phone-logs', POLY_MAC, `${POLY_MAC}-app.log`);
    expect(readFileSync(stored).equals(limit)).to.equal(true);
    const tooBig = Buffer.alloc(256 * 1024 + 1, 'b');
    expect((await sendDigest(w, target, username, password, { method: 'PUT', body: tooBig })).status).to.equal(413);
    expect(readFileSync(stored).equals(limit), 'the old file is kept').to.equal(true);
    expect(readdirSync(join(w.dataDir, 'phone-logs', POLY_MAC))).to.deep.equal([`${POLY_MAC}-app.log`]);
    const anonymous = await send(w, target, { method: 'PUT', body: Buffer.from('x') });
    expect(anonymous.status).to.equal(401);
    const unknown = await send(w, '/provisioning/0004f2999999-app.log', { method: 'PUT', body: Buffer.from('x') });
    expect(unknown.status).to.equal(401);
    expect(existsSync(join(w.dataDir, 'phone-logs', '0004f2999999'))).to.equal(false);
    expect(
      (await send(w, `/provisioning/${POLY_MAC}-user.cfg`, { method: 'PUT', body: Buffer.from('x') })).status,
    ).to.equal(405);
    expect((await send(w, '/provisioning/common.cfg', { method: 'DELETE' })).status).to.equal(405);
  });

  it('writes nothing to the database for misses', async () => {
    await send(w, `/provisioning/${YEA_MAC}.cfg`);
    await sendDigest(w, `/provisioning/${YEA_MAC}.cfg`, creds[YEA_MAC]!.username, 'wrong');
    await send(w, '/provisioning/805ec0999999.cfg');
    const d = await w.devices.byMac(SYSTEM, YEA_MAC);
    expect([d.lastSeenAt, d.lastIp, d.lastUserAgent]).to.deep.equal([null, null, null]);
    expect((await w.devices.list(SYSTEM, w.pbx.id)).length, 'no device created').to.equal(3);
  });

  it('HEAD and If-None-Match on shared files; firmware and unknown model files', async () => {
    const get = await send(w, '/provisioning/common-polycom-vvx450.cfg');
    expect(get.status).to.equal(200);
    const head = await send(w, '/provisioning/common-polycom-vvx450.cfg', { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.etag).to.equal(get.headers.etag);
    expect(head.headers['content-length']).to.equal(String(get.body.length));
    expect(head.body.length).to.equal(0);
    const cond = await send(w, '/provisioning/common-polycom-vvx450.cfg', {
      headers: { 'If-None-Match': `W/"x", ${get.headers.etag}` },
    });
    expect(cond.status).to.equal(304);
    expect((await send(w, '/provisioning/common-polycom-nope.cfg')).status).to.equal(404);
    expect((await send(w, '/provisioning/y000000000001.cfg')).status).to.equal(404);
    expect((await send(w, '/provisioning/firmware/3111-99999-001.sip.ld')).status).to.equal(404);
    const doubled = await send(w, '/provisioning/firmware/3111-48840-001.3111-48840-001.sip.ld');
    expect(doubled.status, 'part number prefixed twice').to.equal(200);
  });
});
