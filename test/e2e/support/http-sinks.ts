// HTTP peers FreeSWITCH talks to in a test: a call-record sink (static mode: Dialtone may be down, CDRs still need
// somewhere to go, or mod_json_cdr blocks each hang-up with retries) and a running Dialtone for live mode.
import { createServer, type RequestListener, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import type { GenerateOptions } from '../../../src/freeswitch/generator';
import { localRecordingSource } from '../../../src/freeswitch/recording-source';
import { XmlCurlAnswerer } from '../../../src/freeswitch/xml-curl-answer';
import { createApp } from '../../../src/portal/app';
import { freeswitchListener } from '../../../src/servers/freeswitch-http';
import type { Services } from '../../../src/services';
import { LiveSnapshots } from '../../../src/services/live-snapshots';
import { callRecordIntake, PhoneRecordings } from '../../../src/services/phone-recordings';

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

export interface CapturedPost {
  /** The request exactly as it arrived (head and body), for fixtures. */
  raw: Buffer;
  url: string;
  body: Buffer;
}

/**
 * Takes every POST on a raw socket (so the bytes are kept as FreeSWITCH sent them), answers 200 and keeps it.
 * Understands what mod_json_cdr sends: one request per connection or keep-alive, with a Content-Length.
 */
export async function startCdrSink(): Promise<HttpPeer & { posts: CapturedPost[] }> {
  const posts: CapturedPost[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buffered.subarray(0, headEnd).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
        const total = headEnd + 4 + length;
        if (buffered.length < total) return;
        const raw = buffered.subarray(0, total);
        buffered = buffered.subarray(total);
        posts.push({ raw, url: head.split(' ')[1] ?? '', body: raw.subarray(headEnd + 4) });
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const XML_CURL_USER = 'freeswitch';
export const XML_CURL_PASSWORD = 'e2e-curl-secret';

/**
 * Dialtone's FreeSWITCH endpoints (xml_curl, CDR intake importing greetings recorded by phone) in front of the portal
 * app, as src/main.ts wires them. `dataDir` is Dialtone's DATA_DIR (its copies of audio).
 */
export async function startDialtone(
  services: Services,
  generate: GenerateOptions,
  dataDir: string,
): Promise<HttpPeer & { lookups: () => number; problems: string[] }> {
  const problems: string[] = [];
  const log = (level: string, msg: string, fields?: Record<string, unknown>) => {
    if (level === 'warn' || level === 'error') problems.push(`${level}: ${msg} ${JSON.stringify(fields ?? {})}`);
  };
  const recordings = new PhoneRecordings({
    orm: services.orm,
    objects: services.objects,
    source: localRecordingSource(),
    freeswitchAudioDir: generate.audioDir,
    dataDir,
    log,
  });
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
      ingest: callRecordIntake(services.orm, recordings),
      username: XML_CURL_USER,
      password: XML_CURL_PASSWORD,
      allow: ['127.0.0.1'],
      log,
    },
    createApp(services, { log: () => {} }),
  );
  const { server, url } = await listen(listener);
  return { url, lookups: () => lookups, problems, close: closer(server) };
}
