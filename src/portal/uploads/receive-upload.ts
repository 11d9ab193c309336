// One audio file from a multipart/form-data request (busboy, streamed): the file goes to a temporary file under
// DATA_DIR with the byte cap enforced while it arrives; text fields before it (CSRF token, options) come along.
// Every way a request can go wrong ends with the temporary file removed and the connection left in a sane state:
// a body over the limit is answered 413 and the rest of it read and thrown away (so the browser sees the answer) up
// to a bound, after which the socket is closed; a client that goes quiet is answered 408; one that hangs up is
// forgotten.

import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { Request } from 'express';
import { UploadStalledError, ValidationError } from '../../domain/errors';
import { receiveToFile, tooLarge } from '../../services/audio/receive-file';

export interface UploadOptions {
  /** Where the file is streamed (AudioUploads.tempDir: under DATA_DIR, so storing it is a rename). */
  tempDir: string;
  /** Bytes one file may have (AudioUploads.maxUploadBytes: 10 MB). */
  maxBytes: number;
  /** Name of the form's file input. */
  field?: string;
  /** Text fields accepted besides the file (each at most 4 KB). */
  maxFields?: number;
  /** The upload is given up when no byte arrives for this long. */
  idleTimeoutMs?: number;
  /**
   * Runs when the file part begins, with the text fields sent before it; throw (e.g. ForbiddenError) to refuse the
   * upload before a byte of the file is stored. For a CSRF token sent in the form body: the portal's CSRF middleware
   * runs before this handler and can only see a token in a header (the XHR sends one) — put the hidden token input
   * before the file input and check it here.
   */
  beforeFile?: (req: Request, fields: Readonly<Record<string, string>>) => void | Promise<void>;
}

export interface ReceivedUpload {
  file: {
    /** Temporary file: hand it to AudioUploads.store; removed by discard() (the middleware does it). */
    path: string;
    size: number;
    /** As the browser sent it: display only, never a path (AudioUploads sanitises it). */
    originalName: string;
    /** The browser's claim, for logs only: the content check never trusts it. */
    declaredType: string;
  };
  fields: Readonly<Record<string, string>>;
  discard(): Promise<void>;
}

/** The client hung up mid-upload: nobody is left to answer. */
export class UploadAbortedError extends Error {
  override name = 'UploadAbortedError';
}

/** Multipart framing on top of the file (boundaries, part headers, small fields). */
const OVERHEAD = 64 * 1024;

/**
 * Reads the upload. Rejects with UploadTooLargeError (413), UploadStalledError (408), ValidationError (422, field
 * "file"), whatever beforeFile throws, or UploadAbortedError (no answer possible). The request is fully handled
 * either way: on an error nothing more of it is parsed or stored.
 */
export function receiveAudioUpload(req: Request, opts: UploadOptions): Promise<ReceivedUpload> {
  const field = opts.field ?? 'file';
  const maxBytes = opts.maxBytes;
  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields: Record<string, string> = Object.create(null);
    let filePath: string | null = null;
    let fileDone: Promise<void> | null = null;
    let settled = false;
    let timer: NodeJS.Timeout | null = null;
    let bb: busboy.Busboy | null = null;
    let received: ReceivedUpload['file'] | null = null;
    // The file part being written: destroyed on failure, so the write stops and its partial file is removed.
    let incoming: (NodeJS.ReadableStream & { destroy(err?: Error): void }) | null = null;

    const cleanup = async () => {
      if (timer) clearTimeout(timer);
      if (filePath) await rm(filePath, { force: true });
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      incoming?.destroy();
      if (bb) {
        req.unpipe(bb);
        bb.removeAllListeners();
        bb.on('error', () => {});
      }
      discardRest(req, maxBytes + OVERHEAD);
      void cleanup().then(
        () => reject(err),
        () => reject(err),
      );
    };
    const idle = () => {
      if (settled) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(
        () => fail(new UploadStalledError('the upload stopped arriving: try again')),
        opts.idleTimeoutMs ?? 30_000,
      );
    };

    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? ''))
      return fail(new ValidationError({ file: 'send the file as a form upload (multipart/form-data)' }));
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > maxBytes + OVERHEAD) {
      // Not worth reading: the answer goes out at once and the connection closes after it.
      req.res?.setHeader('Connection', 'close');
      return fail(tooLarge(maxBytes));
    }
    try {
      bb = busboy({
        headers: req.headers,
        limits: {
          files: 1,
          fileSize: maxBytes + 1,
          fields: opts.maxFields ?? 10,
          fieldSize: 4096,
          parts: (opts.maxFields ?? 10) + 2,
          headerPairs: 20,
        },
      });
    } catch {
      return fail(new ValidationError({ file: 'the upload is not a well-formed form upload' }));
    }

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) fail(new ValidationError({ [name]: 'is too long' }));
      else fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (fileDone) {
        stream.resume();
        return fail(new ValidationError({ file: 'send one file per upload' }));
      }
      if (name !== field) {
        stream.resume();
        return fail(new ValidationError({ file: `the file must be sent in the form field "${field}"` }));
      }
      if (!info.filename) {
        stream.resume();
        return fail(new ValidationError({ file: 'choose a file to upload' }));
      }
      incoming = stream;
      stream.on('error', () => {}); // a refused upload destroys it: that is no news
      fileDone = (async () => {
        await opts.beforeFile?.(req, { ...fields });
        if (settled) return; // refused while beforeFile ran (a second file, the client gone)
        const r = await receiveToFile(stream, opts.tempDir, maxBytes);
        filePath = r.path;
        if (settled) await rm(r.path, { force: true }); // refused meanwhile (a field too long, a second file)
        received = { path: r.path, size: r.size, originalName: info.filename, declaredType: info.mimeType };
      })();
      fileDone.catch((err) => {
        stream.resume();
        fail(err);
      });
    });
    bb.on('filesLimit', () => fail(new ValidationError({ file: 'send one file per upload' })));
    bb.on('fieldsLimit', () => fail(new ValidationError({ file: 'the form sent too many fields' })));
    bb.on('partsLimit', () => fail(new ValidationError({ file: 'the form sent too many parts' })));
    bb.on('error', () => fail(new ValidationError({ file: 'the upload is not a well-formed form upload' })));
    // The end of the form: the file is complete, and so are the fields sent after it.
    bb.on('close', () => {
      if (settled) return;
      if (!fileDone) return fail(new ValidationError({ file: 'choose a file to upload' }));
      fileDone.then(
        () => {
          if (settled || !received) return;
          settled = true;
          if (timer) clearTimeout(timer);
          const file = received;
          resolve({ file, fields: { ...fields }, discard: () => rm(file.path, { force: true }) });
        },
        () => {}, // failed: fail() already answered
      );
    });
    req.on('data', idle);
    req.on('aborted', () => fail(new UploadAbortedError('the client hung up mid-upload')));
    req.on('close', () => {
      if (!req.complete) fail(new UploadAbortedError('the client hung up mid-upload'));
    });
    idle();
    req.pipe(bb);
  });
}

/**
 * After a refusal, the rest of the body is read and thrown away so the client gets to read the answer (a browser
 * that is still sending would otherwise see a reset connection instead of the 413); past `limit` more bytes, or
 * 10 s, the connection is closed instead.
 */
function discardRest(req: IncomingMessage, limit: number): void {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  const stop = setTimeout(() => req.socket.destroy(), 10_000);
  stop.unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.socket.destroy();
  });
  req.on('end', () => clearTimeout(stop));
  req.on('close', () => clearTimeout(stop));
  req.resume();
}
