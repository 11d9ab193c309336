// templates/portal/static/js/upload-progress.js in real Chromium, on a throwaway Express app whose page has a CSP
// without 'unsafe-inline' (as the portal's): the progress bar moves and the page goes on when the upload is done,
// a file over the limit is refused before sending, the server's content check is shown next to the field, and
// without JavaScript the same form still posts. Screenshots land in test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';
import { AUDIO_MAX_BYTES } from '../../src/domain/rules/audio-rules';
import { errorMiddleware } from '../../src/portal/error-middleware';
import { audioUpload, uploadedAudio } from '../../src/portal/uploads';
import { checkAndConvert } from '../../src/services/audio/audio-check';
import { wav } from '../helpers/audio-files';

const SCRIPT = join(import.meta.dirname, '..', '..', 'templates', 'portal', 'static', 'js', 'upload-progress.js');
const SHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

const page = (maxBytes: number) => `<!doctype html><html><head><meta charset="utf-8"><title>Greetings</title>
<script src="/static/upload-progress.js" defer></script></head><body>
<h1>Unavailable greeting</h1>
<form method="post" enctype="multipart/form-data" action="/upload?_csrf=tok" data-upload-progress
      data-max-bytes="${maxBytes}">
  <input type="hidden" name="_csrf" value="tok">
  <label for="file">File</label> <input id="file" type="file" name="file" accept=".mp3,.wav">
  <p data-upload-limits>MP3 or WAV, at most 10 MB</p>
  <button type="submit">Upload</button>
</form></body></html>`;

describe('upload progress script (Chromium)', function () {
  this.timeout(60_000);
  let server: Server;
  let base: string;
  let browser: Browser;
  let dir: string;
  const posts: Array<{ accept: string; csrf: string; size: number }> = [];

  before(async function () {
    if (!process.env.CI && !existsSync('/usr/bin/chromium')) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'dialtone-upload-page-'));
    mkdirSync(SHOTS, { recursive: true });
    const app = express();
    app.use((_req, res, next) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'");
      next();
    });
    app.get('/', (req, res) => {
      res.type('html').send(page(Number(req.query.max ?? AUDIO_MAX_BYTES)));
    });
    app.get('/favicon.ico', (_req, res) => {
      res.status(204).end();
    });
    app.get('/static/upload-progress.js', (_req, res) => {
      res.type('js').send(readFileSync(SCRIPT));
    });
    app.get('/done', (_req, res) => {
      res.type('html').send('<!doctype html><title>Saved</title><p id="done">Greeting saved.</p>');
    });
    app.post(
      '/upload',
      audioUpload({ tempDir: join(dir, 'tmp'), maxBytes: AUDIO_MAX_BYTES }),
      async (req, res, next) => {
        const up = uploadedAudio(res);
        posts.push({ accept: req.get('accept') ?? '', csrf: req.get('x-csrf-token') ?? '', size: up.file.size });
        try {
          await checkAndConvert(up.file.path, join(dir, `out-${posts.length}`));
        } catch (err) {
          return next(err);
        }
        // A moment before answering, so the finished bar can be seen (and photographed).
        await new Promise((r) => setTimeout(r, 1000));
        if (req.get('accept')?.includes('application/json')) res.json({ redirect: '/done' });
        else res.redirect(303, '/done');
      },
    );
    app.use(errorMiddleware(() => {}));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(null)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(
    javaScriptEnabled = true,
    path = '/',
  ): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 900, height: 600 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}${path}`);
    return { page, errors, close: () => context.close() };
  }

  it('shows the progress of an upload and goes on when it is stored', async () => {
    const { page, errors, close } = await open();
    try {
      // Record every value the bar takes, reported to the test through a binding: a polled string predicate
      // (waitForFunction) would be evaluated by the page and refused by its CSP, which allows no eval.
      const seen: number[] = [];
      let reportFull: () => void = () => {};
      const full = new Promise<void>((resolve) => {
        reportFull = resolve;
      });
      await page.exposeFunction('reportProgress', (v: number) => {
        seen.push(v);
        if (v === 100) reportFull();
      });
      // (Page code as strings: the test compiles without the DOM's types.)
      await page.evaluate(`
        new MutationObserver(() => {
          const bar = document.querySelector('progress');
          if (bar) window.reportProgress(bar.value);
        }).observe(document.body, { subtree: true, attributes: true, childList: true });
      `);
      const bytes = wav({ rate: 48000, channels: 2, seconds: 6 }); // ~1.1 MB
      await page.setInputFiles('input[type=file]', { name: 'hello.wav', mimeType: 'audio/wav', buffer: bytes });
      expect(await page.textContent('[data-upload-status]')).to.match(/hello\.wav \(1\.1 MB\)/);
      await page.click('button[type=submit]');
      await full;
      await page.screenshot({ path: join(SHOTS, 'upload-progress-done.png') });
      expect(Math.max(...seen)).to.equal(100);
      await page.waitForURL(`${base}/done`);
      expect(await page.textContent('#done')).to.equal('Greeting saved.');
      const post = posts[posts.length - 1];
      expect(post).to.deep.equal({ accept: 'application/json', csrf: 'tok', size: bytes.length });
      expect(errors, 'no CSP violation or script error').to.deep.equal([]);
    } finally {
      await close();
    }
  });

  it('refuses a file over the limit before sending anything', async () => {
    // A page whose limit is 200 KB (handing Chromium 10 MB over the DevTools protocol takes half a minute here).
    const { page, errors, close } = await open(true, '/?max=204800');
    try {
      const before = posts.length;
      const big = Buffer.alloc(204801);
      await page.setInputFiles('input[type=file]', { name: 'huge.wav', mimeType: 'audio/wav', buffer: big });
      expect(await page.textContent('[data-upload-error]')).to.match(
        /The file is 201 KB; at most 200 KB can be uploaded/,
      );
      await page.click('button[type=submit]');
      await page.screenshot({ path: join(SHOTS, 'upload-progress-too-large.png') });
      expect(await page.isVisible('[data-upload-error]')).to.equal(true);
      expect(page.url()).to.equal(`${base}/?max=204800`);
      expect(posts.length).to.equal(before);
      expect(errors).to.deep.equal([]);
    } finally {
      await close();
    }
  });

  it("shows the server's refusal next to the field and stays on the page", async () => {
    const { page, close } = await open();
    try {
      const page2 = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');
      await page.setInputFiles('input[type=file]', { name: 'song.mp3', mimeType: 'audio/mpeg', buffer: page2 });
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-upload-error]:not([hidden])');
      expect(await page.textContent('[data-upload-error]')).to.match(/web page or script text/);
      expect(await page.isDisabled('button[type=submit]')).to.equal(false);
      await page.screenshot({ path: join(SHOTS, 'upload-progress-refused.png') });
      expect(page.url()).to.equal(`${base}/`);
    } finally {
      await close();
    }
  });

  it('without JavaScript the form posts the file as usual', async () => {
    const { page, close } = await open(false);
    try {
      const bytes = wav({ seconds: 1 });
      await page.setInputFiles('input[type=file]', { name: 'plain.wav', mimeType: 'audio/wav', buffer: bytes });
      await page.click('button[type=submit]');
      await page.waitForURL(`${base}/done`);
      const post = posts[posts.length - 1];
      expect(post.size).to.equal(bytes.length);
      expect(post.accept).to.match(/text\/html/);
    } finally {
      await close();
    }
  });
});
