// node:http adapter of the HTTP provisioning server: request headers in, ProvisioningAnswer out, bodies streamed.
//
// It sits in front of the Express app instead of inside it: in a boot storm Express 5's routing alone cost ~200 µs of
// CPU per response here (a no-op Express route tops out near 5,000 responses/s on this 2-core machine), twice what
// answering from the render cache costs. Every other URL is handed to `next` (the portal app) untouched.
import { open } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_LIMIT_BYTES } from '../../provisioning/policy';
import type { ProvisioningLog } from '../../provisioning/store';
import { writeFileAtomically } from '../../services/atomic-file';
import { mountAt } from '../mount';
import type { ProvisioningAnswer, ProvisioningHttp } from './answer';
import { diskHeaders, type FixedResponse, plainResponse, planResponse } from './response-plan';
import { readLimitedBody } from './uploads';

export interface ProvisioningListenerOptions {
  /** URL prefix served here (default /provisioning; settings.provisioningBaseUrl must end with it). */
  mount?: string;
  uploadLimitBytes?: number;
  log?: ProvisioningLog;
}

/** Writes a response whose bytes are all known (see response-plan.ts). */
function writeFixed(req: IncomingMessage, res: ServerResponse, plan: FixedResponse): void {
  res.sendDate = plan.date;
  const headers: Record<string, string> = {};
  for (const [name, value] of plan.headers) headers[name] = value;
  res.writeHead(plan.status, headers);
  res.end(req.method === 'HEAD' || plan.body === null ? undefined : plan.body);
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

/** Answers `<mount>/…` and hands every other request to `next`. */
export function provisioningListener(
  http: ProvisioningHttp,
  next: RequestListener,
  options: ProvisioningListenerOptions = {},
): RequestListener {
  const mount = options.mount ?? '/provisioning';
  const limit = options.uploadLimitBytes ?? UPLOAD_LIMIT_BYTES;
  const log = options.log ?? (() => {});
  return mountAt(mount, next, (req, res, path) => {
    void (async () => {
      let answer: ProvisioningAnswer;
      try {
        answer = await http.answer({
          method: req.method ?? '',
          target: req.url ?? '',
          path,
          userAgent: header(req, 'user-agent'),
          authorization: header(req, 'authorization'),
          ifNoneMatch: header(req, 'if-none-match'),
          clientIp: req.socket.remoteAddress ?? '',
        });
      } catch (err) {
        log('error', 'provisioning: request failed', { path: path.slice(0, 120), err });
        writeFixed(req, res, plainResponse(500));
        return;
      }
      await send(req, res, answer, limit, log);
    })().catch((err) => {
      log('error', 'provisioning: response failed', { err });
      if (!res.headersSent) writeFixed(req, res, plainResponse(500));
      else res.destroy();
    });
  });
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  answer: ProvisioningAnswer,
  limit: number,
  log: ProvisioningLog,
): Promise<void> {
  const plan = planResponse(answer);
  switch (plan.kind) {
    case 'fixed':
      writeFixed(req, res, plan);
      return;
    case 'upload': {
      const body = await readLimitedBody(req, limit);
      if (body === 'too-large') {
        writeFixed(req, res, plainResponse(413, [['Connection', 'close']]));
        return;
      }
      await writeFileAtomically(plan.path, body);
      log('info', 'provisioning: upload stored', { mac: plan.mac, file: plan.file, bytes: body.length });
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    case 'disk': {
      // Opened before the head is sent, so a file that vanished is a clean 404, not a cut-off 200.
      const handle = await open(plan.path, 'r').catch(() => null);
      if (!handle) {
        writeFixed(req, res, plainResponse(404));
        return;
      }
      try {
        const { size } = await handle.stat();
        res.writeHead(200, Object.fromEntries(diskHeaders(plan, size)));
        if (req.method === 'HEAD' || size === 0) res.end();
        else {
          // Exactly the announced bytes: a file that grows meanwhile sends no more than Content-Length says, and one
          // that shrank ends the connection rather than leave the client waiting for the rest.
          const stream = handle.createReadStream({ autoClose: false, start: 0, end: size - 1 });
          await pipeline(stream, res, { end: false });
          if (stream.bytesRead === size) res.end();
          else res.destroy();
        }
      } finally {
        await handle.close();
      }
      return;
    }
  }
}
