// Files phones PUT (boot/app logs, overrides, call lists): read with a size limit, stored atomically (services/atomic-file.ts).
import type { Readable } from 'node:stream';

/** The whole body, or 'too-large' as soon as it passes `limit` bytes (declared or actually sent). */
export function readLimitedBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  limit: number,
): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  // Plain listeners, not `for await`: this runs for every xml_curl lookup and every phone's PUT, and the async
  // iterator costs several promises per chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      done();
      req.destroy(); // stop reading an oversized body, as leaving a for-await loop does
      resolve('too-large');
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    // The client went away before the body ended (no 'end', and not always an 'error').
    const onClose = () => onError(new Error('request closed before its body ended'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
