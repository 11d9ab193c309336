// HTTP endpoints FreeSWITCH calls: mod_xml_curl lookups and mod_json_cdr call records. Basic auth + address allow-list.
import express, { type Request, type Router } from 'express';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import { credentialsMatch, decideCdrIntake } from '../freeswitch/cdr/intake-decision';
import type { XmlCurlAnswerer } from '../freeswitch/xml-curl-answer';
import { XML_CURL_CONTENT_TYPE } from '../freeswitch/xml-curl-not-found';
import { parseXmlCurlRequest } from '../freeswitch/xml-curl-request';
import { CidrList } from '../provisioning/cidr';

export interface FreeswitchHttpOptions {
  answerer: XmlCurlAnswerer;
  /** Stores one call record; returns false when it was a duplicate or not ours. */
  ingest(record: CallRecordInput): Promise<boolean>;
  username: string;
  password: string;
  /** Addresses or CIDRs allowed to call (FreeSWITCH hosts). */
  allow: string[];
  log: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

export function createFreeswitchRouter(opts: FreeswitchHttpOptions): Router {
  const router = express.Router();
  const allowed = new CidrList(opts.allow.map((a) => (a.includes('/') ? a : a.includes(':') ? `${a}/128` : `${a}/32`)));
  const enabled = opts.password !== '';
  const body = express.raw({ type: () => true, limit: '4mb' });

  router.use((req, res, next) => {
    const ip = req.socket.remoteAddress ?? '';
    if (!enabled || !allowed.has(ip)) {
      opts.log('warn', 'freeswitch endpoint refused', {
        ip,
        path: req.path,
        reason: enabled ? 'address not allowed' : 'disabled',
      });
      res.status(403).type('text/plain').send('forbidden\n');
      return;
    }
    next();
  });

  router.post('/xml-curl', body, async (req: Request, res, next) => {
    try {
      if (!credentialsMatch(req.headers.authorization, opts)) {
        res
          .status(401)
          .set('WWW-Authenticate', 'Basic realm="Dialtone xml_curl"')
          .type('text/plain')
          .send('unauthorized\n');
        return;
      }
      const parsed = parseXmlCurlRequest(req.body instanceof Buffer ? req.body : Buffer.alloc(0));
      res
        .status(200)
        .type(XML_CURL_CONTENT_TYPE)
        .send(await opts.answerer.answer(parsed));
    } catch (err) {
      next(err);
    }
  });

  router.post('/cdr', body, async (req: Request, res, next) => {
    try {
      const decision = decideCdrIntake(
        {
          method: req.method,
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'] ?? '',
          body: req.body instanceof Buffer ? req.body : Buffer.alloc(0),
        },
        opts,
      );
      if (decision.status !== 200 || !('record' in decision) || !decision.record) {
        if (decision.status === 401 && 'wwwAuthenticate' in decision && decision.wwwAuthenticate)
          res.set('WWW-Authenticate', decision.wwwAuthenticate);
        res
          .status(decision.status)
          .type('text/plain')
          .send(`${'reason' in decision ? decision.reason : 'refused'}\n`);
        return;
      }
      const stored = await opts.ingest(decision.record);
      res
        .status(200)
        .type('text/plain')
        .send(stored ? 'stored\n' : 'ignored\n');
    } catch (err) {
      next(err);
    }
  });
  return router;
}
