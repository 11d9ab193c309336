// HTTP peers FreeSWITCH talks to in a test: a call-record sink (static mode: Dialtone may be down, CDRs still need
// somewhere to go, or mod_json_cdr blocks each hang-up with retries) and a running Dialtone for live mode.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerateOptions } from '../../../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../../../src/freeswitch/xml-curl-answer';
import { createApp } from '../../../src/portal/app';
import { freeswitchListener } from '../../../src/servers/freeswitch-http';
import type { Services } from '../../../src/services';
import { ingestCallRecord } from '../../../src/services/call-records';
import { LiveSnapshots } from '../../../src/services/live-snapshots';

export interface HttpPeer {
  url: string;
  close(): Promise<void>;
}

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closer = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Takes every POST, answers 200, keeps each body as posted (raw bytes, for fixtures and assertions). */
export async function startCdrSink(): Promise<
  HttpPeer & { posts: Array<{ url: string; headers: Record<string, string>; body: Buffer }> }
> {
  const posts: Array<{ url: string; headers: Record<string, string>; body: Buffer }> = [];
  const { server, url } = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      posts.push({ url: req.url ?? '', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '3' });
      res.end('ok\n');
    });
  });
  return { url, posts, close: closer(server) };
}

export const XML_CURL_USER = 'freeswitch';
export const XML_CURL_PASSWORD = 'e2e-curl-secret';

/** Dialtone's FreeSWITCH endpoints (xml_curl, CDR intake) in front of the portal app, as src/main.ts wires them. */
export async function startDialtone(
  services: Services,
  generate: GenerateOptions,
): Promise<HttpPeer & { lookups: () => number }> {
  let lookups = 0;
  const answerer = new XmlCurlAnswerer(new LiveSnapshots(services.orm), generate);
  const counting = {
    answer: (req: Parameters<XmlCurlAnswerer['answer']>[0]) => {
      lookups++;
      return answerer.answer(req);
    },
  } as XmlCurlAnswerer;
  const listener = freeswitchListener(
    {
      answerer: counting,
      ingest: (r) => ingestCallRecord(services.orm, r),
      username: XML_CURL_USER,
      password: XML_CURL_PASSWORD,
      allow: ['127.0.0.1'],
      log: () => {},
    },
    createApp(services, { log: () => {} }),
  );
  const { server, url } = await listen(listener);
  return { url, lookups: () => lookups, close: closer(server) };
}
