// What the fast path takes for itself (plain HTTP/1.1 GET/HEAD under the mount) and what it leaves to node:http.
import { expect } from 'chai';
import { MAX_SIMPLE_HEAD, recogniseSimpleRequest } from '../../src/servers/provisioning/simple-request';

const PREFIX = '/provisioning/';
const req = (head: string) => recogniseSimpleRequest(head, PREFIX);

describe('recogniseSimpleRequest', () => {
  it('reads a plain GET: the target as sent, the three headers it uses, its length', () => {
    const text =
      'GET /provisioning/0004f2000001.cfg?x=1 HTTP/1.1\r\nHost: pbx\r\nUser-Agent:  Yealink T54W \r\n' +
      'Authorization: Digest username="a"\r\nIf-None-Match: "abc"\r\nConnection: Keep-Alive\r\nAccept: */*\r\n\r\nGET';
    const r = req(text);
    expect(r).to.deep.equal({
      kind: 'request',
      length: text.length - 3,
      method: 'GET',
      target: '/provisioning/0004f2000001.cfg?x=1',
      userAgent: 'Yealink T54W',
      authorization: 'Digest username="a"',
      ifNoneMatch: '"abc"',
    });
    expect(req('HEAD /provisioning/a HTTP/1.1\r\nHost: x\r\n\r\n')).to.include({ method: 'HEAD', userAgent: null });
  });

  it('waits for the rest of a request that can still become one of its own', () => {
    for (const part of ['G', 'GET', 'HEAD /prov', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\n'])
      expect(req(part), part).to.deep.equal({ kind: 'incomplete' });
  });

  it('leaves other requests to node:http as soon as their first bytes say so', () => {
    for (const part of ['P', 'POST /provisioning/a', 'GET /api', 'GET /login HTTP/1.1\r\n', 'HEAD  /provisioning/'])
      expect(req(part), part).to.deep.equal({ kind: 'other' });
  });

  it('leaves an unfinished header block larger than its limit to node:http', () => {
    const big = `GET /provisioning/a HTTP/1.1\r\nX: ${'a'.repeat(MAX_SIMPLE_HEAD)}`;
    expect(req(big)).to.deep.equal({ kind: 'other' });
  });

  it('answers in linear time whatever the header holds (no regex backtracking to exploit)', () => {
    // A value of 8,000 spaces ending in a byte it refuses: a backtracking pattern would take seconds here.
    const text = `GET /provisioning/a HTTP/1.1\r\nHost: x\r\nX: a${' '.repeat(8000)}\u0001\r\n\r\n`;
    expect(req(text)).to.deep.equal({ kind: 'other' });
  });

  const others: Array<[string, string]> = [
    ['HTTP/1.0', 'GET /provisioning/a HTTP/1.0\r\nHost: x\r\n\r\n'],
    ['a lower-case method', 'get /provisioning/a HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['two spaces', 'GET /provisioning/a  HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['no Host', 'GET /provisioning/a HTTP/1.1\r\nUser-Agent: x\r\n\r\n'],
    ['two Hosts', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n'],
    ['two Authorizations', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n'],
    ['two User-Agents', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nUser-Agent: a\r\nUser-Agent: b\r\n\r\n'],
    ['Content-Length', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'],
    ['Transfer-Encoding', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['Upgrade', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n'],
    ['Connection: close', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['obs-fold', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nUser-Agent: a\r\n b\r\n\r\n'],
    ['a bare CR', 'GET /provisioning/a HTTP/1.1\r\nHost: x\rY: z\r\n\r\n'],
    ['a byte above ASCII', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nUser-Agent: caf\u00e9\r\n\r\n'],
    ['a control byte', 'GET /provisioning/a HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u0000\r\n\r\n'],
    ['a space in the target', 'GET /provisioning/a b HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a quote in the target', 'GET /provisioning/"a HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a leading empty line', '\r\nGET /provisioning/a HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['more headers than phones send', `GET /provisioning/a HTTP/1.1\r\n${'a:\r\n'.repeat(2000)}Host: x\r\n\r\n`],
  ];
  for (const [title, text] of others)
    it(`leaves ${title} to node:http`, () => expect(req(text)).to.deep.equal({ kind: 'other' }));
});
