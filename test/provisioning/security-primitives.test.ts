// The pure security pieces of provisioning: digest verification, nonces, CIDR lists, the miss limiter, the access policy.
import { expect } from 'chai';
import { appTokenFor, appTokenHash, newAppTokenSalt, pendingAppTokenHash } from '../../src/provisioning/app-token';
import { addressBytes, CidrError, CidrList } from '../../src/provisioning/cidr';
import {
  digestChallenge,
  digestHa1,
  digestResponse,
  digestUriMatches,
  NonceIssuer,
  parseDigestAuthorization,
  verifyDigest,
} from '../../src/provisioning/digest';
import { bucketKey, MissLimiter } from '../../src/provisioning/miss-limiter';
import { decideAccess, fileClass, windowEnd, windowOpen } from '../../src/provisioning/policy';
import { classifyBootPath } from '../../src/vendors/boot-request';

// RFC 2617 §3.5 example.
const RFC_HEADER =
  'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
  'uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", ' +
  'response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
const RFC_HA1 = digestHa1('Mufasa', 'Circle Of Life', 'testrealm@host.com');

describe('provisioning digest', () => {
  it('verifies the RFC 2617 example and nothing else', () => {
    const c = parseDigestAuthorization(RFC_HEADER);
    expect(c).to.include({ username: 'Mufasa', uri: '/dir/index.html', qop: 'auth', nc: '00000001' });
    expect(verifyDigest(c!, 'GET', RFC_HA1, 'testrealm@host.com')).to.equal(true);
    expect(verifyDigest(c!, 'PUT', RFC_HA1, 'testrealm@host.com'), 'method is signed').to.equal(false);
    expect(verifyDigest(c!, 'GET', digestHa1('Mufasa', 'wrong', 'testrealm@host.com'), 'testrealm@host.com')).to.equal(
      false,
    );
    expect(verifyDigest(c!, 'GET', RFC_HA1), 'other realm').to.equal(false);
    expect(verifyDigest({ ...c!, qop: null }, 'GET', RFC_HA1, 'testrealm@host.com'), 'qop required').to.equal(false);
    expect(verifyDigest({ ...c!, algorithm: 'SHA-256' }, 'GET', RFC_HA1, 'testrealm@host.com')).to.equal(false);
    expect(verifyDigest({ ...c!, response: 'zz' }, 'GET', RFC_HA1, 'testrealm@host.com')).to.equal(false);
  });

  it('computes what a client computes', () => {
    const c = parseDigestAuthorization(RFC_HEADER)!;
    expect(digestResponse(RFC_HA1, 'GET', c)).to.equal('6629fae49393a05397450978507c4ef1');
  });

  for (const bad of [
    '',
    'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    'Digest',
    'Digest username="a", realm="r"',
    'Digest username="a" realm="r" nonce="n" uri="/" response="x"',
    'Digest username="a", username="b", realm="r", nonce="n", uri="/", response="x"',
    `Digest username="${'a'.repeat(3000)}", realm="r", nonce="n", uri="/", response="x"`,
    'Digest username="a\u0000", realm=r, nonce="n", uri="/", response="x", =x',
  ])
    it(`refuses a malformed header: ${JSON.stringify(bad.slice(0, 50))}`, () => {
      expect(parseDigestAuthorization(bad)).to.equal(null);
    });

  it('unescapes quoted values', () => {
    const c = parseDigestAuthorization('Digest username="a\\"b", realm="r", nonce="n", uri="/x", response="AB"');
    expect(c?.username).to.equal('a"b');
    expect(c?.response).to.equal('ab');
  });

  it('matches the digest uri with the request target, absolute or not', () => {
    expect(digestUriMatches('/provisioning/a.cfg', '/provisioning/a.cfg')).to.equal(true);
    expect(digestUriMatches('http://h:8080/provisioning/a.cfg', '/provisioning/a.cfg')).to.equal(true);
    expect(digestUriMatches('/provisioning/b.cfg', '/provisioning/a.cfg')).to.equal(false);
    expect(digestUriMatches('ftp://h/provisioning/a.cfg', '/provisioning/a.cfg')).to.equal(false);
  });

  it('nonces: same within a bucket, stale after their lifetime, forged ones invalid', () => {
    const n = new NonceIssuer({ lifetimeSeconds: 300, bucketSeconds: 60 });
    const t = 1_800_000_000_000;
    const nonce = n.issue(t);
    expect(n.issue(t + 10_000)).to.equal(nonce);
    expect(n.issue(t + 120_000)).to.not.equal(nonce);
    expect(n.check(nonce, t + 1000)).to.equal('valid');
    expect(n.check(nonce, t + 400_000)).to.equal('stale');
    expect(n.check(`${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`, t)).to.equal('invalid');
    expect(new NonceIssuer().check(nonce, t), 'another key').to.equal('invalid');
    expect(n.check('garbage', t)).to.equal('invalid');
    expect(n.check(n.issue(t + 3_600_000), t), 'from the future').to.equal('invalid');
  });

  it('nonce signatures remembered for speed give the same answers, and forged issue times are not remembered', () => {
    const n = new NonceIssuer({ lifetimeSeconds: 300, bucketSeconds: 60 });
    const t = 1_800_000_000_000;
    const nonce = n.issue(t);
    for (let i = 0; i < 3; i++) expect(n.check(nonce, t + 1000)).to.equal('valid');
    expect(n.check(`${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`, t), 'tampered, memo warm').to.equal(
      'invalid',
    );
    expect(n.check(nonce, t + 400_000), 'stale, memo warm').to.equal('stale');
    // A flood of made-up issue times, far from now: each is refused and none is kept.
    for (let i = 0; i < 500; i++)
      expect(n.check(`${(1000 + i).toString(36)}.${'A'.repeat(22)}`, t)).to.equal('invalid');
    const memo = (n as unknown as { signed: Map<number, string> }).signed;
    expect(memo.size).to.be.at.most(2);
    expect(n.check(nonce, t + 2000)).to.equal('valid');
    // Checked nonces are remembered whole, and only genuine ones: the same answers, by age, from then on.
    const proven = (n as unknown as { proven: Map<string, number> }).proven;
    expect([...proven.keys()]).to.deep.equal([nonce]);
    expect(n.check(nonce, t + 400_000), 'stale, nonce remembered').to.equal('stale');
    expect(n.check(nonce, t - 3_600_000), 'before its issue time, nonce remembered').to.equal('invalid');
  });

  it('challenge header', () => {
    expect(digestChallenge('abc')).to.equal(
      'Digest realm="dialtone-provisioning", qop="auth", algorithm=MD5, nonce="abc"',
    );
    expect(digestChallenge('abc', true)).to.match(/, stale=true$/);
  });
});

describe('provisioning CIDR allow-list', () => {
  const list = new CidrList(['10.1.0.0/16', '192.0.2.7', '2001:db8:1::/48']);
  for (const [ip, expected] of [
    ['10.1.200.3', true],
    ['10.2.0.1', false],
    ['::ffff:10.1.0.9', true],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['2001:db8:1:ffff::1', true],
    ['2001:db8:2::1', false],
    ['not-an-ip', false],
    ['', false],
  ] as const)
    it(`${ip || '(empty)'} -> ${expected}`, () => {
      expect(list.has(ip)).to.equal(expected);
    });

  it('answers the same asked again, in any order (the last address is remembered), and an empty list has nothing', () => {
    const asked = ['10.1.0.1', '10.1.0.1', '10.2.0.1', '10.1.0.1', 'not-an-ip', 'not-an-ip', '192.0.2.7'];
    expect(asked.map((ip) => list.has(ip))).to.deep.equal([true, true, false, true, false, false, true]);
    expect(new CidrList([]).has('10.1.0.1')).to.equal(false);
  });

  it('refuses bad ranges at start-up', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'x/8', '::1/129', '10.0.0.0/8/1', '10.0.0.0/-1'])
      expect(() => new CidrList([bad]), bad).to.throw(CidrError);
  });

  it('parses IPv6 forms', () => {
    expect(addressBytes('::1')?.toString('hex')).to.equal(`${'0'.repeat(31)}1`);
    expect(addressBytes('64:ff9b::192.0.2.1')?.toString('hex')).to.equal('0064ff9b0000000000000000c0000201');
    expect(addressBytes('1:2:3:4:5:6:7:8:9')).to.equal(null);
  });
});

describe('provisioning miss limiter', () => {
  it('allows a burst, then limits, then refills', () => {
    const l = new MissLimiter({ perMinute: 20 });
    const t = 1000;
    for (let i = 0; i < 20; i++) {
      expect(l.isLimited('198.51.100.1', t)).to.equal(false);
      l.recordMiss('198.51.100.1', t);
    }
    expect(l.isLimited('198.51.100.1', t)).to.equal(true);
    expect(l.retryAfterSeconds('198.51.100.1', t)).to.equal(3);
    expect(l.isLimited('198.51.100.2', t), 'other address').to.equal(false);
    expect(l.isLimited('198.51.100.1', t + 3000)).to.equal(false);
  });

  it('a flood from 100,000 other addresses does not give a limited address its budget back (fixed memory)', () => {
    const l = new MissLimiter({ perMinute: 20 });
    for (let i = 0; i < 20; i++) l.recordMiss('198.51.100.7', 0);
    expect(l.isLimited('198.51.100.7', 0)).to.equal(true);
    // The old table forgot the least recent of its 10,000 addresses; sketches forget nobody.
    for (let i = 0; i < 100_000; i++) l.recordMiss(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1);
    expect(l.isLimited('198.51.100.7', 2)).to.equal(true);
    expect(l.isLimited('198.51.100.7', 3001), 'it refills at its own pace').to.equal(false);
  });

  it('never limits the allow-list', () => {
    const l = new MissLimiter({ perMinute: 1, allow: ['203.0.113.0/24'] });
    for (let i = 0; i < 10; i++) l.recordMiss('203.0.113.9', 0);
    expect(l.isLimited('203.0.113.9', 0)).to.equal(false);
    expect(l.isLimited('203.0.113.10', 0), 'nor its network').to.equal(false);
  });

  it('counts IPv6 per /64 (and IPv4 mapped into IPv6 as IPv4)', () => {
    expect(bucketKey('2001:db8::1')).to.equal(bucketKey('2001:db8::ffff:1'));
    expect(bucketKey('::ffff:192.0.2.1')).to.equal('192.0.2.1');
    const l = new MissLimiter({ perMinute: 2 });
    l.recordMiss('2001:db8::1', 0);
    l.recordMiss('2001:db8::ffff:2', 0);
    expect(l.isLimited('2001:db8::99', 0), 'the same /64').to.equal(true);
    expect(l.isLimited('2001:db8:0:1::1', 0), 'the next /64').to.equal(false);
    l.recordMiss('::ffff:192.0.2.1', 0);
    l.recordMiss('192.0.2.1', 0);
    expect(l.isLimited('192.0.2.1', 0)).to.equal(true);
  });

  it('gives a network (IPv4 /24, IPv6 /48) a wider budget of its own', () => {
    const l = new MissLimiter({ perMinute: 20, networkPerMinute: 100 });
    for (let a = 1; a <= 5; a++) for (let i = 0; i < 20; i++) l.recordMiss(`198.51.100.${a}`, 0);
    expect(l.isLimited('198.51.100.200', 0), 'a fresh address of the same /24').to.equal(true);
    expect(l.retryAfterSeconds('198.51.100.200', 0)).to.equal(1);
    expect(l.isLimited('198.51.101.1', 0), 'the next /24').to.equal(false);
    for (let a = 1; a <= 5; a++) for (let i = 0; i < 20; i++) l.recordMiss(`2001:db8:0:${a}::1`, 0);
    expect(l.isLimited('2001:db8:0:99::1', 0), 'a fresh /64 of the same /48').to.equal(true);
    expect(l.isLimited('2001:db8:1::1', 0), 'the next /48').to.equal(false);
  });

  it('gives a challenge’s token back on the first valid login for that MAC from that address, once', () => {
    const l = new MissLimiter({ perMinute: 2 });
    const challenge = (mac: string) => ({ mac, answered: false });
    l.recordMiss('198.51.100.1', 0, challenge('0004f2000001'));
    l.recordMiss('198.51.100.1', 0, challenge('0004f2000002'));
    expect(l.isLimited('198.51.100.1', 0)).to.equal(true);
    l.settle('198.51.100.1', '0004f2000003', 0);
    l.settle('198.51.100.2', '0004f2000001', 0);
    expect(l.isLimited('198.51.100.1', 0), 'another MAC or address gives nothing back').to.equal(true);
    l.settle('198.51.100.1', '0004f2000001', 0);
    expect(l.isLimited('198.51.100.1', 0)).to.equal(false);
    l.recordMiss('198.51.100.1', 0, null);
    l.settle('198.51.100.1', '0004f2000001', 0);
    expect(l.isLimited('198.51.100.1', 0), 'once per challenge').to.equal(true);
    expect(l.pendingChallenges).to.equal(1);
  });

  it('hears one answer per challenge while limited; a wrong answer uses the challenge up', () => {
    const l = new MissLimiter({ perMinute: 1 });
    l.recordMiss('198.51.100.1', 0, { mac: '0004f2000001', answered: false });
    expect(l.isLimited('198.51.100.1', 0)).to.equal(true);
    expect(l.awaitsAnswer('198.51.100.1', '0004f2000001', 0)).to.equal(true);
    expect(l.awaitsAnswer('198.51.100.1', '0004f2000009', 0), 'only the MAC challenged').to.equal(false);
    l.recordMiss('198.51.100.1', 0, { mac: '0004f2000001', answered: true });
    expect(l.awaitsAnswer('198.51.100.1', '0004f2000001', 0)).to.equal(false);
    l.recordMiss('198.51.100.1', 60_000, { mac: '0004f2000001', answered: false });
    expect(l.awaitsAnswer('198.51.100.1', '0004f2000001', 60_000 + 10 * 60_000), 'not forever').to.equal(false);
  });
});

describe('provisioning access policy', () => {
  const cls = (path: string, method: 'GET' | 'HEAD' | 'PUT' = 'GET') => fileClass(classifyBootPath(path), method);
  for (const [path, method, expected] of [
    ['000000000000.cfg', 'GET', 'shared'],
    ['common.cfg', 'GET', 'shared'],
    ['common-polycom-vvx450.cfg', 'GET', 'shared'],
    ['bootstrap.cfg', 'GET', 'shared'],
    ['3111-48840-001.sip.ld', 'GET', 'shared'],
    ['y000000000096.cfg', 'GET', 'shared'],
    ['firmware/T54W(T57W,T53W)-96.86.0.45.rom', 'GET', 'shared'],
    ['0004f2abcdef.cfg', 'GET', 'device'],
    ['0004f2abcdef-user.cfg', 'GET', 'device'],
    ['0004f2abcdef-directory.xml', 'GET', 'device'],
    ['0004f2abcdef-phone.cfg', 'GET', 'device'],
    ['805ec0123456.cfg', 'GET', 'device'],
    ['0004f2abcdef-app.log', 'PUT', 'device'],
    ['0004f2abcdef-boot.log', 'GET', 'wrong-method'],
    ['0004f2abcdef-user.cfg', 'PUT', 'wrong-method'],
    ['0004f2abcdef-license.cfg', 'GET', 'absent'],
    ['000000000000-directory.xml', 'GET', 'absent'],
    ['805ec0123456.boot', 'GET', 'absent'],
    ['../etc/passwd', 'GET', 'absent'],
  ] as const)
    it(`${method} ${path} is ${expected}`, () => {
      expect(cls(path, method)).to.equal(expected);
    });

  const base = { deviceKnown: true, macMismatch: false, digest: 'none', windowOpen: false } as const;
  it('digest or window lets a known device in; everything else is one refusal', () => {
    expect(decideAccess({ ...base, digest: 'valid' })).to.deep.equal({ allow: true, via: 'digest' });
    expect(decideAccess({ ...base, windowOpen: true })).to.deep.equal({ allow: true, via: 'window' });
    expect(decideAccess({ ...base, digest: 'valid', windowOpen: true })).to.deep.equal({ allow: true, via: 'digest' });
    expect(decideAccess(base)).to.deep.equal({ allow: false, stale: false });
    expect(decideAccess({ ...base, digest: 'invalid' })).to.deep.equal({ allow: false, stale: false });
    expect(decideAccess({ ...base, digest: 'stale' })).to.deep.equal({ allow: false, stale: true });
    expect(decideAccess({ ...base, deviceKnown: false, windowOpen: true })).to.deep.equal({
      allow: false,
      stale: false,
    });
    expect(decideAccess({ ...base, macMismatch: true, digest: 'valid' })).to.deep.equal({ allow: false, stale: false });
  });

  it('window bounds', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(windowEnd(now).toISOString()).to.equal('2026-03-01T10:15:00.000Z');
    expect(windowOpen(windowEnd(now, 1), now)).to.equal(true);
    expect(windowOpen(now, now)).to.equal(false);
    expect(windowOpen(null, now)).to.equal(false);
    expect(() => windowEnd(now, 0)).to.throw(RangeError);
    expect(() => windowEnd(now, 1441)).to.throw(RangeError);
  });
});

describe('phone-app tokens', () => {
  it('are long, keyed, revocable by salt, and never the placeholder hash', () => {
    const key = Buffer.alloc(32, 7);
    const salt = newAppTokenSalt();
    const token = appTokenFor(key, salt);
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(appTokenFor(key, salt)).to.equal(token);
    expect(appTokenFor(key, newAppTokenSalt())).to.not.equal(token);
    expect(appTokenFor(Buffer.alloc(32, 8), salt)).to.not.equal(token);
    expect(appTokenHash(token)).to.match(/^[0-9a-f]{64}$/);
    expect(appTokenHash(token)).to.not.equal(pendingAppTokenHash(salt));
    expect(() => appTokenFor(Buffer.alloc(8), salt)).to.throw(RangeError);
  });
});
