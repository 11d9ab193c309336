// HTTP endpoints FreeSWITCH calls: mod_xml_curl lookups and mod_json_cdr call records. Basic auth + address allow-list.
//
// A node:http listener in front of the portal app (like provisioning): every call FreeSWITCH routes waits on these
// lookups, and Express's routing cost more CPU per lookup than answering it from the per-revision memo.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import { CDR_AUTH_REALM, credentialsMatch, decideCdrIntake } from '../freeswitch/cdr/intake-decision';
import type { XmlCurlAnswerer } from '../freeswitch/xml-curl-answer';
import { XML_CURL_CONTENT_TYPE } from '../freeswitch/xml-curl-not-found';
import { parseXmlCurlRequest } from '../freeswitch/xml-curl-request';
import { CidrList } from '../provisioning/cidr';
import type { CdrDeadLetters } from '../services/cdr-dead-letter';
import { readBodyKeeping } from './cdr-body';
import { mountAt } from './mount';
import { readLimitedBody } from './provisioning/uploads';

export interface FreeswitchHttpOptions {
  answerer: Pick<XmlCurlAnswerer, 'answer'>;
  /** Stores one call record; returns false when it was a duplicate or not ours. */
  ingest(record: CallRecordInput): Promise<boolean>;
  username: string;
  password: string;
  /** Addresses or CIDRs allowed to call (FreeSWITCH hosts). */
  allow: string[];
  log: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** URL prefix served here (default /freeswitch). */
  mount?: string;
  /** Where refused call records are kept (answered 400 either way). */
  deadLetters?: CdrDeadLetters;
  /** Largest CDR accepted (default 4 MiB: real ones are 5-40 kB). */
  cdrMaxBytes?: number;
}

/** A CDR with its leg variables is a few kB; a lookup much less. */
const BODY_LIMIT = 4 * 1024 * 1024;
/** Of an oversized CDR, this much is kept as its dead letter (the rest is read and dropped). */
const DEAD_LETTER_KEEP = 16 * 1024 * 1024;
const TEXT = 'text/plain; charset=utf-8';

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/** Answers `<mount>/xml-curl` and `<mount>/cdr`, refuses the rest of `<mount>/`, hands every other URL to `next`. */
export function freeswitchListener(opts: FreeswitchHttpOptions, next: RequestListener): RequestListener {
  const mount = opts.mount ?? '/freeswitch';
  const allowed = new CidrList(opts.allow.map((a) => (a.includes('/') ? a : a.includes(':') ? `${a}/128` : `${a}/32`)));
  const enabled = opts.password !== '';

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const ip = req.socket.remoteAddress ?? '';
    if (!enabled || !allowed.has(ip)) {
      opts.log('warn', 'freeswitch endpoint refused', {
        ip,
        path: path.slice(0, 120),
        reason: enabled ? 'address not allowed' : 'disabled',
      });
      send(res, 403, TEXT, 'forbidden\n');
      return;
    }
    if (req.method !== 'POST' || (path !== '/xml-curl' && path !== '/cdr')) {
      send(res, 404, TEXT, 'not found\n');
      return;
    }
    if (path === '/cdr') return cdr(req, res, ip);
    const body = await readLimitedBody(req, BODY_LIMIT);
    if (body === 'too-large') {
      send(res, 413, TEXT, 'too large\n', { Connection: 'close' });
      return;
    }
    if (!credentialsMatch(req.headers.authorization, opts)) {
      send(res, 401, TEXT, 'unauthorized\n', { 'WWW-Authenticate': 'Basic realm="Dialtone xml_curl"' });
      return;
    }
    send(res, 200, XML_CURL_CONTENT_TYPE, await opts.answerer.answer(parseXmlCurlRequest(body)));
  }

  /** A call record: credentials first (nobody else's bytes are kept), then parse; refused bodies become dead letters. */
  async function cdr(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (!credentialsMatch(req.headers.authorization, opts)) {
      send(res, 401, TEXT, 'unauthorized\n', { 'WWW-Authenticate': `Basic realm="${CDR_AUTH_REALM}"` });
      return;
    }
    const max = opts.cdrMaxBytes ?? BODY_LIMIT;
    const read = await readBodyKeeping(req, max, Math.max(max, DEAD_LETTER_KEEP));
    const contentType = req.headers['content-type'] ?? '';
    const decision = read.complete
      ? decideCdrIntake(
          { method: 'POST', authorization: req.headers.authorization, contentType, body: read.body },
          opts,
          {
            maxBodyBytes: max,
          },
        )
      : ({ status: 400, reason: `body of ${read.total} bytes is over ${max}`, problem: 'oversized' } as const);
    if (decision.status === 200) {
      const stored = await opts.ingest(decision.record);
      send(res, 200, TEXT, stored ? 'stored\n' : 'ignored\n');
      return;
    }
    if (decision.status === 400) {
      const uuid = /[?&]uuid=(?:a_)?([0-9a-fA-F-]{36})(?:&|$)/.exec(req.url ?? '')?.[1];
      const meta = {
        receivedAt: new Date().toISOString(),
        problem: decision.problem,
        reason: decision.reason,
        contentType: contentType.slice(0, 100),
        remoteAddress: ip,
        bytes: read.total,
        truncated: read.body.length < read.total,
        ...(uuid && { uuid }),
      };
      if (opts.deadLetters) await opts.deadLetters.keep(read.body, meta);
      else opts.log('warn', 'cdr refused (no dead-letter folder)', { ...meta, reason: meta.reason.slice(0, 200) });
    }
    const headers: Record<string, string> = read.complete ? {} : { Connection: 'close' };
    send(res, decision.status, TEXT, `${decision.reason}\n`, headers);
  }

  return mountAt(mount, next, (req, res, path) => {
    handle(req, res, path).catch((err) => {
      opts.log('error', 'freeswitch endpoint failed', { path: path.slice(0, 120), err });
      if (!res.headersSent) send(res, 500, TEXT, 'internal error\n');
      else res.destroy();
    });
  });
}
