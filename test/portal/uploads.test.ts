// The portal's upload handler over real HTTP on an ephemeral port: real multipart bodies (and broken ones) sent by
// node:http and raw sockets to a throwaway Express app using the middleware and the project's error middleware.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { ForbiddenError } from '../../src/domain/errors';
import { AUDIO_MAX_BYTES, displayFileName } from '../../src/domain/rules/audio-rules';
import { errorMiddleware } from '../../src/portal/error-middleware';
import { audioUpload, uploadedAudio } from '../../src/portal/uploads';
import { waitFor } from '../fakes/wait-for';

interface Part {
  name: string;
  filename?: string;
  /** A raw Content-Disposition tail instead of filename="…" (for filename*=). */
  disposition?: string;
  body: Buffer | string;
}

const BOUNDARY = '----dialtone-test-boundary-7MA4YWxkTrZu0gW';

function multipart(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = p.disposition ?? (p.filename !== undefined ? `; filename="${p.filename}"` : '');
    const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n${
      p.filename !== undefined || p.disposition ? 'Content-Type: audio/mpeg\r\n' : ''
    }\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), Buffer.from(p.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const CSRF = { name: '_csrf', body: 'good-token' };

describe('portal audio upload handler (HTTP)', () => {
  let server: Server;
  let port: number;
  let tempDir: string;
  let handled = 0;

  before(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'dialtone-upload-http-'));
    const app = express();
    app.post(
      '/upload',
      audioUpload({
        tempDir,
        maxBytes: AUDIO_MAX_BYTES,
        idleTimeoutMs: 400,
        beforeFile: (_req, fields) => {
          if (fields._csrf !== 'good-token') throw new ForbiddenError('the form expired: reload the page');
        },
      }),
      (_req, res) => {
        handled++;
        const up = uploadedAudio(res);
        res.json({
          size: up.file.size,
          sha256: createHash('sha256').update(readFileSync(up.file.path)).digest('hex'),
          path: up.file.path,
          originalName: up.file.originalName,
          display: displayFileName(up.file.originalName),
          fields: up.fields,
        });
      },
    );
    app.use(errorMiddleware(() => {}));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    rmSync(tempDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    // Whatever happened, no temporary file outlives its request.
    await waitFor(() => readdirSync(tempDir).length === 0, `temporary files removed: ${readdirSync(tempDir)}`, 5000);
  });

  function post(
    body: Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown>; raw: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/upload',
          method: 'POST',
          headers: {
            'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
            'Content-Length': String(body.length),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(raw);
            } catch {}
            resolve({ status: res.statusCode ?? 0, json, raw });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('receives one file into a temporary file of its own naming, with the fields sent before it', async () => {
    const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 256));
    const r = await post(
      multipart([CSRF, { name: 'file', filename: 'Welcome.mp3', body: bytes }, { name: 'kind', body: 'busy' }]),
    );
    expect(r.status).to.equal(200);
    expect(r.json.size).to.equal(bytes.length);
    expect(r.json.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
    expect(r.json.originalName).to.equal('Welcome.mp3');
    expect(r.json.fields).to.deep.equal({ _csrf: 'good-token', kind: 'busy' });
    expect(r.json.path).to.match(new RegExp(`^${tempDir}/\\d+-[0-9a-f]{16}\\.upload$`));
  });

  it('takes a file of exactly 10 MB', async () => {
    const r = await post(
      multipart([CSRF, { name: 'file', filename: 'ten.mp3', body: Buffer.alloc(AUDIO_MAX_BYTES, 1) }]),
    );
    expect(r.status).to.equal(200);
    expect(r.json.size).to.equal(AUDIO_MAX_BYTES);
  });

  it('answers 413 to 10 MB + 1 byte, stopped while streaming, and the client reads the answer', async () => {
    const before = handled;
    const r = await post(
      multipart([CSRF, { name: 'file', filename: 'big.mp3', body: Buffer.alloc(AUDIO_MAX_BYTES + 1, 1) }]),
    );
    expect(r.status).to.equal(413);
    expect(r.json.message).to.match(/larger than 10\.0 MB/);
    expect(r.json.fields).to.have.property('file');
    expect(handled).to.equal(before);
  });

  it('answers 413 at once to a declared length far over the limit', async () => {
    const body = multipart([CSRF, { name: 'file', filename: 'x.mp3', body: 'short' }]);
    const res = await rawExchange(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 500000000\r\n\r\n`,
      body,
    );
    expect(res).to.match(/^HTTP\/1\.1 413/);
  });

  it('forgets an upload whose client hangs up midway (nothing stored, no handler called)', async () => {
    const before = handled;
    const body = multipart([CSRF, { name: 'file', filename: 'cut.mp3', body: Buffer.alloc(200_000, 2) }]);
    const sock = connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    sock.write(body.subarray(0, 120_000));
    await waitFor(() => readdirSync(tempDir).length > 0, 'upload started', 5000);
    sock.destroy();
    await waitFor(() => readdirSync(tempDir).length === 0, 'partial file removed', 5000);
    expect(handled).to.equal(before);
  });

  it('answers 408 to a client that stops sending mid-file (slow loris)', async () => {
    const body = multipart([CSRF, { name: 'file', filename: 'slow.mp3', body: Buffer.alloc(50_000, 3) }]);
    const res = await rawExchange(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.subarray(0, 20_000),
    );
    expect(res).to.match(/^HTTP\/1\.1 408/);
    expect(res).to.match(/stopped arriving/);
  });

  const refusals: Array<[string, () => Buffer, number, RegExp, Record<string, string>?]> = [
    [
      'two files',
      () =>
        multipart([
          CSRF,
          { name: 'file', filename: 'a.mp3', body: 'aaaa' },
          { name: 'file', filename: 'b.mp3', body: 'bb' },
        ]),
      422,
      /one file per upload/,
    ],
    [
      'a file in the wrong field',
      () => multipart([CSRF, { name: 'upload', filename: 'a.mp3', body: 'aaaa' }]),
      422,
      /form field "file"/,
    ],
    ['no file at all', () => multipart([CSRF, { name: 'kind', body: 'busy' }]), 422, /choose a file/],
    [
      'an empty file input (nothing chosen)',
      () => multipart([CSRF, { name: 'file', filename: '', body: '' }]),
      422,
      /choose a file/,
    ],
    ['a missing CSRF token', () => multipart([{ name: 'file', filename: 'a.mp3', body: 'aaaa' }]), 403, /form expired/],
    [
      'a CSRF token after the file',
      () => multipart([{ name: 'file', filename: 'a.mp3', body: 'aaaa' }, CSRF]),
      403,
      /form expired/,
    ],
    ['a field over 4 KB', () => multipart([{ name: 'note', body: 'x'.repeat(5000) }, CSRF]), 422, /too long/],
    [
      'a form body that is not multipart',
      () => Buffer.from('file=abc'),
      422,
      /multipart/,
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    ],
    [
      'a multipart body without its boundary',
      () => Buffer.from('garbage'),
      422,
      /well-formed/,
      { 'Content-Type': 'multipart/form-data' },
    ],
  ];
  for (const [name, body, status, message, headers] of refusals)
    it(`refuses ${name}`, async () => {
      const before = handled;
      const r = await post(body(), headers);
      expect(r.status, r.raw).to.equal(status);
      expect(r.json.message).to.match(message);
      expect(handled).to.equal(before);
    });

  describe('hostile file names reach the handler as display text only', () => {
    const names: Array<[string, Part, string]> = [
      ['path traversal', { name: 'file', filename: '../../etc/passwd', body: 'x' }, 'passwd'],
      ['Windows path', { name: 'file', filename: 'C:\\Users\\me\\..\\boot.ini', body: 'x' }, 'boot.ini'],
      ['markup', { name: 'file', filename: '<script>alert(1)<\\script>.mp3', body: 'x' }, 'script>.mp3'],
      ['a NUL byte', { name: 'file', disposition: `; filename*=UTF-8''evil%00.wav.mp3`, body: 'x' }, 'evil.wav.mp3'],
      ['300 characters', { name: 'file', filename: `${'a'.repeat(296)}.mp3`, body: 'x' }, `${'a'.repeat(95)}….mp3`],
      [
        'unicode with a right-to-left override',
        { name: 'file', disposition: `; filename*=UTF-8''%E2%80%AEgnp.mp3%20M%C3%BCller%20%F0%9F%8E%B5`, body: 'x' },
        'gnp.mp3 Müller 🎵',
      ],
    ];
    for (const [what, part, display] of names)
      it(what, async () => {
        const r = await post(multipart([CSRF, part]));
        expect(r.status, r.raw).to.equal(200);
        expect(r.json.display).to.equal(display);
        expect(r.json.path as string).to.match(new RegExp(`^${tempDir}/\\d+-[0-9a-f]{16}\\.upload$`));
      });
  });

  /** Sends head + body on a raw socket and returns what the server answers (until it closes or 5 s pass). */
  function rawExchange(head: string, body: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const sock = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const done = () => {
        clearTimeout(t);
        sock.destroy();
        resolve(Buffer.concat(chunks).toString('latin1'));
      };
      const t = setTimeout(done, 5000);
      sock.on('data', (c) => {
        chunks.push(c);
        // Done once the headers and Content-Length bytes of body are in.
        const text = Buffer.concat(chunks).toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(text);
        if (end >= 0 && length && Buffer.byteLength(text) >= end + 4 + Number(length[1])) done();
      });
      sock.on('error', reject);
      sock.on('close', done);
      sock.write(head);
      sock.write(body);
    });
  }
});
