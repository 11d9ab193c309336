// The keep-alive fast path against node:http on the same server: the same bytes for every kind of answer, hand-over of
// everything else with no byte lost (pipelined, split, portal, uploads, malformed), and its connection lifetimes.
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ProvisioningHttp } from '../../src/servers/provisioning';
import { installFastPath } from '../../src/servers/provisioning/fast-path';
import { SYSTEM } from '../../src/services/actor';
import { firmwareBytes, openWorld, type World } from './provisioning-world';

const YEA_MAC = '805ec0000002';
const YEA_UA = 'Yealink SIP-T54W 96.86.0.100 80:5e:c0:00:00:02';
const POLY_FIRMWARE = '/provisioning/firmware/3111-48840-001.sip.ld';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

interface Response {
  head: string;
  body: Buffer;
}

/** One client connection reading responses off the wire by hand (Content-Length framing; HEAD and 304 have none). */
class Wire {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private total = 0;
  private wake: (() => void) | null = null;
  closed = false;

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.total += c.length;
      this.wake?.();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    this.socket.on('error', () => {});
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  end(): void {
    this.socket.end();
  }

  /** Stops reading (the server's writes then wait on full socket buffers). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private async more(): Promise<void> {
    if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.flat().toString('latin1'))}`);
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.wake = null;
  }

  /** What arrived, as one buffer (joined only when asked: a 32 MB body arrives in hundreds of chunks). */
  private flat(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  async read(method = 'GET'): Promise<Response> {
    let need = -1;
    let headEnd = -1;
    for (;;) {
      if (need === -1) {
        const buffered = this.flat();
        headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd !== -1) {
          const head = buffered.subarray(0, headEnd + 4).toString('latin1');
          const length = / 304 |^HTTP\/1\.1 1/.test(head) || method === 'HEAD' ? 0 : contentLength(head);
          need = headEnd + 4 + length;
        }
      }
      if (need !== -1 && this.total >= need) {
        const buffered = this.flat();
        const head = buffered.subarray(0, headEnd + 4).toString('latin1');
        const body = buffered.subarray(headEnd + 4, need);
        const rest = buffered.subarray(need);
        this.chunks = rest.length ? [rest] : [];
        this.total = rest.length;
        return { head, body };
      }
      await this.more();
    }
  }

  async closedByServer(): Promise<void> {
    while (!this.closed) await this.more().catch(() => {});
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function contentLength(head: string): number {
  const m = /\r\ncontent-length: *(\d+)\r\n/i.exec(head);
  return m ? Number(m[1]) : 0;
}

/** What differs between two answers only by when they were made: the Date and the digest nonce. */
const timeless = (r: Response) => ({
  head: r.head.replace(/\r\nDate: [^\r]+/, '\r\nDate: -').replace(/nonce="[^"]+"/, 'nonce="-"'),
  body: r.body.toString('latin1'),
});

const get = (target: string, extra = '', method = 'GET') =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;
// node:http reads this as the plain keep-alive it is; the fast path leaves anything but one "keep-alive" to node:http.
const VIA_NODE = 'Connection: keep-alive, keep-alive\r\n';

describe('provisioning fast path', function () {
  this.timeout(20_000);
  let w: World;
  let creds: { username: string; password: string };

  beforeEach(async () => {
    w = await openWorld();
    creds = await w.devices.add(SYSTEM, w.pbx.id, {
      mac: YEA_MAC,
      profileId: 'yealink-t54w',
      extensionIds: [w.ext['201']!.id],
    });
  });
  afterEach(async () => w?.close());

  function digestHeader(target: string, nonce: string): string {
    const ha1 = md5(`${creds.username}:dialtone-provisioning:${creds.password}`);
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${md5(`GET:${target}`)}`);
    return `Authorization: Digest username="${creds.username}", realm="dialtone-provisioning", nonce="${nonce}", uri="${target}", qop=auth, nc=00000001, cnonce="${cnonce}", response="${response}"\r\n`;
  }

  it('answers every kind of provisioning answer with the bytes node:http sends', async () => {
    // A connection node:http takes over stays its own: one connection for each path, both kept alive throughout.
    const wire = new Wire(w.port);
    const nodeWire = new Wire(w.port);
    const shared = '/provisioning/y000000000096.cfg';
    const ua = `User-Agent: ${YEA_UA}\r\n`;
    const pairs: Array<[string, Response, Response]> = [];
    const both = async (label: string, request: (via: string) => string, method = 'GET') => {
      wire.write(request(''));
      const fast = await wire.read(method);
      nodeWire.write(request(VIA_NODE));
      const slow = await nodeWire.read(method);
      pairs.push([label, fast, slow]);
      return fast;
    };
    const first = await both('shared 200', (via) => get(shared, ua + via));
    const etag = /\r\nETag: ("[^"]+")/.exec(first.head)![1]!;
    await both('shared HEAD', (via) => get(shared, ua + via, 'HEAD'), 'HEAD');
    await both('304', (via) => get(shared, `${ua}If-None-Match: ${etag}\r\n${via}`));
    await both('with a query', (via) => get(`${shared}?mac=1`, ua + via));
    await both('404', (via) => get('/provisioning/nothing-here.cfg', via));
    await both('the mount itself', (via) => get('/provisioning/', via));
    const challenge = await both('unknown MAC 401', (via) => get('/provisioning/805ec0999999.cfg', ua + via));
    await both('known MAC, no credentials 401', (via) => get(`/provisioning/${YEA_MAC}.cfg`, ua + via));
    const nonce = /nonce="([^"]+)"/.exec(challenge.head)![1]!;
    const target = `/provisioning/${YEA_MAC}.cfg`;
    const secret = await both('digest 200 (credentials inside)', (via) =>
      get(target, ua + digestHeader(target, nonce) + via),
    );
    await both('firmware from disk', (via) => get(POLY_FIRMWARE, via));
    await both('firmware HEAD', (via) => get(POLY_FIRMWARE, via, 'HEAD'), 'HEAD');
    wire.destroy();
    nodeWire.destroy();

    for (const [label, fast, slow] of pairs) expect(timeless(fast), label).to.deep.equal(timeless(slow));
    expect(first.head).to.match(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first.head).to.match(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n$/);
    expect(challenge.head, 'no Date: one answer for every refusal').not.to.contain('Date:');
    expect(secret.head).to.contain('Cache-Control: no-store');
    expect(secret.body.toString()).to.contain('account.1.user_name = 201');
    expect(
      pairs.find(([l]) => l === 'firmware from disk')![1].body.equals(firmwareBytes('3111-48840-001.sip.ld')),
    ).to.equal(true);
    // Each pair: the first through the fast path, the second through node:http.
    expect(w.fastAnswered).to.have.length(pairs.length);
  });

  it('hands a pipelined upload, the portal and whatever follows to node:http, in order, without losing a byte', async () => {
    const wire = new Wire(w.port);
    const shared = '/provisioning/y000000000096.cfg';
    const ua = `User-Agent: ${YEA_UA}\r\n`;
    // One write: a fast GET, a portal page, a fast-path-shaped GET (now node:http's), half of another.
    const whole = `${get(shared, ua)}${get('/login')}${get(shared, ua)}`;
    const next = get(shared, ua);
    wire.write(whole + next.slice(0, 20));
    const a = await wire.read();
    const b = await wire.read();
    const c = await wire.read();
    wire.write(next.slice(20));
    const d = await wire.read();
    expect(a.head).to.match(/^HTTP\/1\.1 200 /);
    expect(b.head).to.match(/^HTTP\/1\.1 200 /);
    expect(b.body.toString()).to.contain('<form');
    expect(timeless(c)).to.deep.equal(timeless(a));
    expect(timeless(d)).to.deep.equal(timeless(a));
    expect(w.fastAnswered, 'only the first').to.deep.equal([200]);
    wire.destroy();
  });

  it('waits for the rest of a request split across a few packets, and answers it', async () => {
    const wire = new Wire(w.port);
    const text = get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`);
    // As a phone on a slow link might: three packets.
    const third = Math.ceil(text.length / 3);
    for (let i = 0; i < text.length; i += third) {
      wire.write(text.slice(i, i + third));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await wire.read()).head).to.match(/^HTTP\/1\.1 200 /);
    expect(w.fastAnswered).to.deep.equal([200]);
    wire.destroy();
  });

  const FILE = '/provisioning/y000000000096.cfg';
  const odd: Array<[string, string]> = [
    ['a request smuggling attempt', get(FILE, 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n')],
    ['no Host', `GET ${FILE} HTTP/1.1\r\n\r\n`],
    ['two Hosts', get(FILE, 'Host: 127.0.0.2\r\n')],
    ['HTTP/1.0', `GET ${FILE} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n`],
    ['obs-fold', get(FILE, `User-Agent: ${YEA_UA}\r\n  continued\r\n`)],
    ['a bare LF', get(FILE, 'X-A: 1\nX-B: 2\r\n')],
    ['a space before the colon', get(FILE, 'User-Agent : x\r\n')],
    ['a body', `${get(FILE, 'Content-Length: 3\r\n')}abc`],
    ['Expect', get(FILE, 'Expect: 100-continue\r\n')],
    ['Connection: close', get(FILE, 'Connection: close\r\n')],
    ['a header too large', get(FILE, `X-Big: ${'a'.repeat(9000)}\r\n`)],
    ['a NUL in a value', get(FILE, 'X-A: a\u0000b\r\n')],
    ['a quote in the target', get('/provisioning/y000000000096.cfg"', '')],
    ['an absolute-form target', get(`http://127.0.0.1${FILE}`, '')],
  ];
  for (const [title, request] of odd)
    it(`leaves ${title} to node:http, which answers as it does without the fast path`, async () => {
      const answers: string[] = [];
      for (const fastPath of [true, false]) {
        const world = fastPath ? w : await openWorld({ fastPath: false });
        try {
          const wire = new Wire(world.port);
          wire.write(request);
          const r = await wire.read().catch(() => null);
          answers.push(r ? timeless(r).head.replace(/ETag: "[^"]+"/, 'ETag: -') : 'closed');
          wire.destroy();
        } finally {
          if (!fastPath) await world.close();
        }
      }
      expect(answers[0]).to.equal(answers[1]);
      expect(w.fastAnswered).to.deep.equal([]);
    });

  it('closes an idle keep-alive connection after keepAliveTimeout, as node:http does', async () => {
    w.http.keepAliveTimeout = 300;
    const wire = new Wire(w.port);
    wire.write(get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`));
    expect((await wire.read()).head).to.contain('Keep-Alive: timeout=0');
    await wire.closedByServer();
    expect(wire.closed).to.equal(true);
  });

  it('says what node:http says about keep-alive when there is no timeout, and leaves a request limit to it', async () => {
    w.http.keepAliveTimeout = 0;
    const text = get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`);
    const fast = new Wire(w.port);
    fast.write(text);
    const slow = new Wire(w.port);
    slow.write(get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n${VIA_NODE}`));
    expect(timeless(await fast.read())).to.deep.equal(timeless(await slow.read()));
    w.http.keepAliveTimeout = 5000;
    w.http.maxRequestsPerSocket = 2;
    const limited = new Wire(w.port);
    limited.write(text);
    expect((await limited.read()).head).to.contain('Keep-Alive: timeout=5, max=2');
    expect(w.fastAnswered).to.deep.equal([200]);
    for (const wire of [fast, slow, limited]) wire.destroy();
  });

  it('gives a client slow to finish its headers to node:http after a second, which still answers it', async () => {
    // Even with no keep-alive limit at all (0): an unfinished request has a timer of its own.
    w.http.keepAliveTimeout = 0;
    const wire = new Wire(w.port);
    const text = get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`);
    wire.write(text.slice(0, 30));
    await new Promise((r) => setTimeout(r, 1300));
    wire.write(text.slice(30));
    expect((await wire.read()).head).to.match(/^HTTP\/1\.1 200 /);
    expect(w.fastAnswered).to.deep.equal([]);
    wire.destroy();
  });

  it('gives a request that trickles in byte by byte to node:http (its parser reads each byte once)', async () => {
    const wire = new Wire(w.port);
    const text = get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`);
    for (const byte of text) {
      wire.write(byte);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect((await wire.read()).head).to.match(/^HTTP\/1\.1 200 /);
    expect(w.fastAnswered).to.deep.equal([]);
    wire.destroy();
  });

  it('sends exactly Content-Length bytes of a firmware file that grows while it is sent, on both paths', async () => {
    const path = join(w.dataDir, 'firmware', '3111-48840-001.sip.ld');
    const original = randomBytes(32 << 20);
    for (const via of ['', VIA_NODE]) {
      const label = via ? 'node:http' : 'fast path';
      writeFileSync(path, original);
      const wire = new Wire(w.port);
      wire.pause();
      wire.write(get(POLY_FIRMWARE, via));
      // The server fills the socket buffers and waits; the file grows by a whole fake answer meanwhile.
      await new Promise((r) => setTimeout(r, 300));
      appendFileSync(path, 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nEVIL!\n');
      wire.resume();
      const r = await wire.read();
      expect(contentLength(r.head), label).to.equal(original.length);
      expect(r.body.equals(original), label).to.equal(true);
      // Nothing follows the announced bytes: the next request gets the next answer.
      wire.write(get('/provisioning/nothing-here.cfg', via));
      expect((await wire.read()).head, label).to.match(/^HTTP\/1\.1 404 /);
      wire.destroy();
    }
  });

  it('answers a truncated request cut off by the client like node:http (400), and drops one it cannot hand over', async () => {
    const answers: string[] = [];
    for (const world of [w, await openWorld({ fastPath: false })]) {
      try {
        const cut = new Wire(world.port);
        cut.write('GET /provisioning/y000000000096.cfg HTTP/1.1\r\nHost: 12');
        cut.end();
        const r = await cut.read().catch(() => null);
        answers.push(r ? r.head : 'closed');
        await cut.closedByServer();
        // A fast request, then a portal request, then FIN: the first is answered, no error anywhere.
        const mixed = new Wire(world.port);
        mixed.write(`${get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`)}${get('/login')}`);
        mixed.end();
        expect((await mixed.read()).head).to.match(/^HTTP\/1\.1 200 /);
        await mixed.closedByServer();
      } finally {
        if (world !== w) await world.close();
      }
    }
    expect(answers[0]).to.equal('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    expect(answers[0]).to.equal(answers[1]);
    expect(w.logs.filter((l) => l.level === 'error')).to.deep.equal([]);
  });

  it('answers a request whose client closed its side, then closes', async () => {
    const wire = new Wire(w.port);
    wire.write(get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`));
    wire.end();
    expect((await wire.read()).head).to.match(/^HTTP\/1\.1 200 /);
    await wire.closedByServer();
    expect(w.fastAnswered).to.deep.equal([200]);
  });

  it('on shutdown closes idle connections and sends new ones to node:http', async () => {
    const wire = new Wire(w.port);
    wire.write(get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`));
    await wire.read();
    w.fastPathControl!.closeIdle();
    await wire.closedByServer();
    // The server's side of the socket reports its close a moment later.
    for (let i = 0; i < 100 && w.fastPathControl!.connections > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(w.fastPathControl!.connections).to.equal(0);
    // A connection made now is node:http's (which is not closing here, so it answers).
    const late = new Wire(w.port);
    late.write(get('/provisioning/y000000000096.cfg', `User-Agent: ${YEA_UA}\r\n`));
    expect((await late.read()).head).to.match(/^HTTP\/1\.1 200 /);
    expect(w.fastAnswered).to.deep.equal([200]);
    late.destroy();
  });
});

describe('provisioning fast path, shutting down while answering', () => {
  it('answers the request in progress with Connection: close, reads nothing after it, closes idle connections', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let answers = 0;
    const fake = {
      answer: async () => {
        answers++;
        await held;
        return { status: 404 } as const;
      },
    } as unknown as ProvisioningHttp;
    const server = createServer((_req, res) => res.end('node'));
    const fast = installFastPath(server, fake);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const idle = new Wire(port);
      const busy = new Wire(port);
      busy.write(get('/provisioning/a.cfg') + get('/provisioning/b.cfg'));
      for (let i = 0; i < 100 && answers === 0; i++) await new Promise((r) => setTimeout(r, 5));
      fast.closeIdle();
      await idle.closedByServer();
      busy.write(get('/provisioning/c.cfg'));
      release();
      const r = await busy.read();
      expect(r.head).to.match(/^HTTP\/1\.1 404 /);
      expect(r.head).to.contain('\r\nConnection: close\r\n');
      await busy.closedByServer();
      expect(answers, 'only the request in progress was answered').to.equal(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('provisioning fast path, a client that sends while it waits', () => {
  it('stops reading from it until its answer is sent, then reads on', async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((r) => {
      release = r;
    });
    const fake = {
      answer: async () => {
        await answered;
        return { status: 404 } as const;
      },
    } as unknown as ProvisioningHttp;
    const server = createServer((_req, res) => res.end('node'));
    installFastPath(server, fake);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const served: Socket[] = [];
    server.on('connection', (s: Socket) => served.push(s));
    try {
      const wire = new Wire((server.address() as { port: number }).port);
      wire.write(get('/provisioning/a.cfg'));
      // 4 MB of pipelined requests while the first is being answered.
      const flood = get('/provisioning/b.cfg').repeat(Math.ceil((4 << 20) / 50));
      wire.write(flood);
      await new Promise((r) => setTimeout(r, 300));
      const read = served[0]!.bytesRead;
      expect(read, 'what the server took in while busy').to.be.below(1 << 20);
      release();
      expect((await wire.read()).head).to.match(/^HTTP\/1\.1 404 /);
      expect((await wire.read()).head, 'the pipelined ones are answered next').to.match(/^HTTP\/1\.1 404 /);
      wire.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
