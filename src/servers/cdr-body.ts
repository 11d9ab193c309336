// Reads a call-record POST whole when it is within the limit; an oversized one is still read (its first part kept for
// the dead-letter folder, the rest counted and dropped) so it can be answered 400 instead of a reset connection.
import type { Readable } from 'node:stream';

export interface BodyRead {
  /** The body, or its first `keep` bytes when it was over `limit`. */
  body: Buffer;
  /** Bytes received (or declared, when the client stopped early on an oversized body). */
  total: number;
  /** The whole body arrived and it is within `limit`. */
  complete: boolean;
}

/** Past this much the connection is dropped instead of drained (a client streaming without end). */
const DRAIN_LIMIT = 256 * 1024 * 1024;

export function readBodyKeeping(req: Readable, limit: number, keep: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    const finish = (complete: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve({ body: Buffer.concat(chunks, kept), total, complete });
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (kept < keep) {
        const part = kept + chunk.length <= keep ? chunk : chunk.subarray(0, keep - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (total > DRAIN_LIMIT) {
        req.destroy();
        finish(false);
      }
    };
    const onEnd = () => finish(total <= limit);
    const onError = (err: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      reject(err);
    };
    const onClose = () => onError(new Error('request closed before its body ended'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
