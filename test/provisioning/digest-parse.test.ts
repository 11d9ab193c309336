// The Authorization scanner against the regex grammar it replaced (kept here as the oracle): the same answer for
// real phone headers, for every malformed shape we know of, and for thousands of random near-miss headers.
import { expect } from 'chai';
import { type DigestCredentials, parseDigestAuthorization } from '../../src/provisioning/digest';

/** The former regex implementation, verbatim. */
function oracle(header: string | undefined): DigestCredentials | null {
  if (!header || header.length > 2048) return null;
  const m = /^Digest\s+(.*)$/is.exec(header.trim());
  if (!m) return null;
  const fields = new Map<string, string>();
  const re = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s",]+)\s*(?:,|$)/gy;
  const rest = m[1] as string;
  let match: RegExpExecArray | null;
  while (re.lastIndex < rest.length) {
    match = re.exec(rest);
    if (!match) return null;
    const name = (match[1] as string).toLowerCase();
    if (fields.has(name)) return null;
    fields.set(name, match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[2] as string));
  }
  const username = fields.get('username');
  const realm = fields.get('realm');
  const nonce = fields.get('nonce');
  const uri = fields.get('uri');
  const response = fields.get('response');
  if (!username || realm === undefined || !nonce || !uri || !response) return null;
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    qop: fields.get('qop') ?? null,
    nc: fields.get('nc') ?? null,
    cnonce: fields.get('cnonce') ?? null,
    algorithm: fields.get('algorithm') ?? null,
  };
}

const PHONE =
  'Digest username="storm12", realm="dialtone-provisioning", nonce="t0f8k0.AbCdEfGhIjKlMnOpQrStUv", ' +
  'uri="/provisioning/0004f2000001-user.cfg", response="0123456789ABCDEF0123456789abcdef", qop=auth, ' +
  'nc=00000003, cnonce="7f3a9c", algorithm=MD5';

const KNOWN = [
  PHONE,
  PHONE.replace('Digest ', 'digest\t\n '),
  PHONE.replace('Digest ', 'DIGEST  '),
  `  ${PHONE}  `,
  `${PHONE},`,
  `${PHONE},,`,
  PHONE.replace(', ', ' , '),
  PHONE.replace(', ', ' '),
  PHONE.replace('="storm12"', ' = "st\\"orm\\\\12"'),
  PHONE.replace('="storm12"', '="st\\\norm"'),
  PHONE.replace('="storm12"', '="storm12'),
  PHONE.replace('="storm12"', '=storm"12'),
  PHONE.replace('="storm12"', '=""'),
  PHONE.replace('="storm12"', '='),
  PHONE.replace('username', 'UserName'),
  `${PHONE}, username="again"`,
  `${PHONE}, 9x=1`,
  `${PHONE}, x_y-z=1`,
  `${PHONE}, x=\u00a0`,
  PHONE.replace('qop=auth', 'qop=auth\u2028'),
  'Digest',
  'Digest ',
  'Digestusername="a"',
  'Basic dXNlcjpwYXNz',
  '',
  'Digest realm="", username="u", nonce="n", uri="/", response="r"',
  `Digest ${'x'.repeat(2100)}`,
];

describe('parseDigestAuthorization (scanner) against the regex grammar', () => {
  it('agrees on real and malformed headers', () => {
    for (const h of KNOWN) expect(parseDigestAuthorization(h), JSON.stringify(h)).to.deep.equal(oracle(h));
    expect(parseDigestAuthorization(PHONE)?.username).to.equal('storm12');
  });

  it('agrees on random near-miss headers (seeded, bounded)', () => {
    let seed = 20261126;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = [
      ' ',
      '\t',
      '\n',
      '\r',
      '\u2028',
      '\u00a0',
      ',',
      '=',
      '"',
      '\\',
      'a',
      'Z',
      '9',
      '_',
      '-',
      'é',
      '\ud83d\ude00',
    ];
    let accepted = 0;
    for (let round = 0; round < 20_000; round++) {
      let h = PHONE;
      const edits = 1 + rand(3);
      for (let e = 0; e < edits; e++) {
        const at = rand(h.length + 1);
        const op = rand(3);
        const piece = pieces[rand(pieces.length)] as string;
        if (op === 0) h = h.slice(0, at) + piece + h.slice(at);
        else if (op === 1) h = h.slice(0, at) + h.slice(at + 1);
        else h = h.slice(0, at) + piece + h.slice(at + 1);
      }
      const want = oracle(h);
      if (want) accepted++;
      expect(parseDigestAuthorization(h), JSON.stringify(h)).to.deep.equal(want);
    }
    expect(accepted, 'the mutations exercise both outcomes').to.be.greaterThan(1000).and.lessThan(19_000);
  });
});
