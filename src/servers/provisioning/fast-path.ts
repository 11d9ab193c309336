// The keep-alive fast path: plain GET and HEAD requests for provisioning files, read and answered on the socket
// without node:http's request and response objects.
//
// Why: in a boot storm each answer is already in memory, and node:http's per-request machinery (IncomingMessage,
// ServerResponse, header objects, the writable-stream plumbing) was a third of a worker's CPU — more than deciding the
// answer. A bare socket answering the same bytes serves ~1.5× the requests on this 2-core machine.
//
// What keeps it safe: it answers only what simple-request.ts recognises (strict HTTP/1.1, no body, no framing headers,
// printable ASCII); the decision is the same ProvisioningHttp.answer and the bytes the same response plan as the
// node:http listener, so both paths send identical answers (a test compares them byte for byte). Anything else —
// the portal, the API, uploads, odd or malformed requests, a client too slow to finish its headers — is handed, with
// every byte not yet consumed, to node:http for the rest of the connection, exactly as if it had been its from the start.
import { open } from 'node:fs/promises';
import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ProvisioningLog } from '../../provisioning/store';
import type { ProvisioningAnswer, ProvisioningHttp } from './answer';
import {
  diskHeaders,
  type FixedResponse,
  type Header,
  plainResponse,
  planResponse,
  type ResponsePlan,
} from './response-plan';
import { MAX_SIMPLE_HEAD, recogniseSimpleRequest, type SimpleRequest } from './simple-request';

export interface FastPathOptions {
  /** URL prefix served (default /provisioning), as for the listener. */
  mount?: string;
  /** Told of every answered request (area "provisioning"), as the metrics listener is of node:http's. */
  observe?: (status: number, seconds: number) => void;
  log?: ProvisioningLog;
}

export interface FastPath {
  /** Connections served here right now (node:http's are in its own count). */
  readonly connections: number;
  /** Shutdown: idle connections close now; one answering closes once its answer is sent. */
  closeIdle(): void;
}

/** An unfinished request that takes longer than this, or more packets, is left to node:http. */
const SLOW_REQUEST_MS = 1000;
const SLOW_PARTS = 16;

/** Node's Date header, computed once a second. */
let dateSecond = -1;
let dateLine = '';
function dateHeader(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateLine = `Date: ${new Date(second * 1000).toUTCString()}\r\n`;
  }
  return dateLine;
}

/**
 * Puts the fast path in front of `server`'s connections. `server` keeps listening and keeps its own handling for every
 * connection the fast path hands over.
 */
export function installFastPath(server: Server, http: ProvisioningHttp, options: FastPathOptions = {}): FastPath {
  const prefix = `${options.mount ?? '/provisioning'}/`;
  const observe = options.observe ?? (() => {});
  const log = options.log ?? (() => {});
  // node:http's own connection handling, called for the connections handed over.
  const nodeListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  const live = new Set<FastConnection>();
  let stopping = false;
  /** Status line and headers, ending as node:http ends them. */
  const headOf = (status: number, headers: Header[], date: boolean): string => {
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`;
    for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
    if (date) head += dateHeader();
    // As node:http: the connection stays open unless the server is shutting down; Keep-Alive names the timeout
    // when there is one.
    if (stopping) return `${head}Connection: close\r\n\r\n`;
    head += 'Connection: keep-alive\r\n';
    if (server.keepAliveTimeout) head += `Keep-Alive: timeout=${Math.floor(server.keepAliveTimeout / 1000)}\r\n`;
    return `${head}\r\n`;
  };
  // Whole answers (head and body) of shared files, by file, each kept while its Date header is current.
  const shared = new WeakMap<object, { date: string; keepAlive: number; bytes: Buffer }>();
  const sharedAnswer = (answer: Extract<ProvisioningAnswer, { status: 200 }>): Buffer => {
    const date = dateHeader();
    const kept = shared.get(answer.file);
    if (kept && kept.date === date && kept.keepAlive === server.keepAliveTimeout) return kept.bytes;
    const plan = planResponse(answer) as FixedResponse;
    const bytes = Buffer.concat([Buffer.from(headOf(200, plan.headers, plan.date), 'latin1'), plan.body as Buffer]);
    shared.set(answer.file, { date, keepAlive: server.keepAliveTimeout, bytes });
    return bytes;
  };

  class FastConnection {
    private pending = '';
    private busy = false;
    private startedAt = 0; // when the first byte of an unfinished request came
    private parts = 0; // data events that unfinished request took so far
    private handedOver = false;
    private status = 0; // of the answer being sent
    private started = 0; // when its request was read
    private ended = false; // the client sent FIN
    private waitingForRest = false; // the socket's timer is the short one for an unfinished request

    constructor(private readonly socket: Socket) {
      socket.on('data', this.onData);
      socket.on('end', this.onEnd);
      socket.on('error', this.onError);
      socket.on('close', this.onClose);
      socket.on('timeout', this.onTimeout);
      // keepAliveTimeout 0 means no limit for node:http too.
      socket.setTimeout(server.keepAliveTimeout);
      live.add(this);
    }

    private readonly onData = (chunk: Buffer): void => {
      if (stopping) return; // nothing new is begun once the server stops (the connection ends after its answer)
      if (this.pending === '') {
        this.startedAt = Date.now();
        this.parts = 0;
      }
      this.pending += chunk.toString('latin1');
      this.parts++;
      if (!this.busy) this.next();
      // A client sending on while its answer is being made waits (as node:http makes it wait): what it sends stays in
      // the kernel's buffers, not in this process.
      else if (this.pending.length > MAX_SIMPLE_HEAD) this.socket.pause();
    };

    private readonly onEnd = (): void => {
      this.ended = true;
      if (!this.busy) this.next();
    };

    private readonly onError = (): void => {
      // A reset or a failed write: the connection is gone, nothing to answer (node:http does the same).
      this.socket.destroy();
    };

    private readonly onClose = (): void => {
      live.delete(this);
    };

    private readonly onTimeout = (): void => {
      if (this.busy) return;
      // An unfinished request gets node:http's patience and its timeouts; an idle connection is closed, as node:http
      // closes a keep-alive connection after keepAliveTimeout.
      if (this.pending !== '' && !this.ended) this.handOver();
      else this.socket.destroy();
    };

    /** Answers the next request waiting, if it is whole and ours; the one after it once this one is sent. */
    private next(): void {
      if (this.handedOver || this.socket.destroyed) return;
      if (stopping) {
        // Shutting down: the answer just sent said "Connection: close"; nothing else is read or answered.
        this.socket.end();
        return;
      }
      if (this.pending === '') {
        this.idleTimer();
        // The client closed its side and has everything it asked for.
        if (this.ended) this.socket.end();
        return;
      }
      const r = recogniseSimpleRequest(this.pending, prefix);
      if (r.kind === 'other') {
        // After the client's FIN node:http cannot be handed the bytes; it would drop an unanswered request too.
        if (this.ended) this.socket.end();
        else this.handOver();
        return;
      }
      if (r.kind === 'incomplete') {
        // Cut off by the client's FIN: node:http's answer to a truncated request.
        if (this.ended) this.socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        // Phones send a request in one or two packets: one that trickles in is node:http's (its headersTimeout and
        // incremental parser), after at most a second or SLOW_PARTS packets here.
        else if (this.parts > SLOW_PARTS || Date.now() - this.startedAt > SLOW_REQUEST_MS) this.handOver();
        else if (!this.waitingForRest) {
          this.waitingForRest = true;
          this.socket.setTimeout(SLOW_REQUEST_MS);
        }
        return;
      }
      this.pending = this.pending.slice(r.length);
      if (this.pending !== '') {
        this.startedAt = Date.now();
        this.parts = 0;
      }
      this.busy = true;
      this.answer(r).then(
        () => {
          this.busy = false;
          if (this.socket.isPaused()) this.socket.resume();
          this.next();
        },
        (err) => {
          log('error', 'provisioning: response failed', { err });
          this.socket.destroy();
        },
      );
    }

    /** Back to the keep-alive timer after the short one of an unfinished request. */
    private idleTimer(): void {
      if (!this.waitingForRest) return;
      this.waitingForRest = false;
      this.socket.setTimeout(server.keepAliveTimeout);
    }

    private async answer(r: SimpleRequest): Promise<void> {
      this.started = performance.now();
      const q = r.target.indexOf('?');
      let answer: ProvisioningAnswer | null = null;
      try {
        answer = await http.answer({
          method: r.method,
          target: r.target,
          path: r.target.slice(prefix.length - 1, q === -1 ? undefined : q),
          userAgent: r.userAgent,
          authorization: r.authorization,
          ifNoneMatch: r.ifNoneMatch,
          clientIp: this.socket.remoteAddress ?? '',
        });
      } catch (err) {
        log('error', 'provisioning: request failed', { path: r.target.slice(0, 120), err });
      }
      if (answer?.status === 200 && answer.file.type === 'body' && !answer.secret && r.method === 'GET' && !stopping) {
        // A file every phone of a model asks for: its whole answer is kept for the second its Date names.
        this.status = 200;
        this.socket.write(sharedAnswer(answer), this.written);
      } else {
        const plan = answer ? planResponse(answer) : plainResponse(500);
        if (plan.kind === 'fixed') this.writeFixed(plan, r.method);
        else if (plan.kind === 'disk') await this.sendFile(plan, r.method);
        // Uploads are PUTs, never recognised here.
        else this.writeFixed(plainResponse(500), r.method);
      }
      // A client that does not read its answers does not get more of them queued.
      if (this.socket.writableNeedDrain) await drained(this.socket);
    }

    /** The write callback of every answer on this connection (one answer at a time: status and start are fields). */
    private readonly written = (err?: Error | null): void => {
      if (!err) observe(this.status, (performance.now() - this.started) / 1000);
    };

    private writeFixed(plan: FixedResponse, method: string): void {
      this.status = plan.status;
      const head = headOf(plan.status, plan.headers, plan.date);
      if (method === 'HEAD' || plan.body === null) {
        this.socket.write(head, 'latin1', this.written);
        return;
      }
      // One writev for head and body, as node:http does.
      this.socket.cork();
      this.socket.write(head, 'latin1');
      this.socket.write(plan.body, this.written);
      this.socket.uncork();
    }

    private async sendFile(plan: Extract<ResponsePlan, { kind: 'disk' }>, method: string): Promise<void> {
      const handle = await open(plan.path, 'r').catch(() => null);
      if (!handle) {
        this.writeFixed(plainResponse(404), method);
        return;
      }
      try {
        const size = await handle.stat().then(
          (st) => st.size,
          () => null,
        );
        if (size === null) {
          this.writeFixed(plainResponse(500), method);
          return;
        }
        const head = headOf(200, diskHeaders(plan, size), true);
        this.status = 200;
        if (method === 'HEAD' || size === 0) {
          this.socket.write(head, 'latin1', this.written);
          return;
        }
        this.socket.write(head, 'latin1');
        // Exactly the announced bytes: a file that grows meanwhile sends no more than Content-Length says.
        let sent = 0;
        for await (const chunk of handle.createReadStream({ autoClose: false, start: 0, end: size - 1 })) {
          if (this.socket.destroyed) return;
          sent += (chunk as Buffer).length;
          if (!this.socket.write(chunk as Buffer)) await drained(this.socket);
        }
        // One that shrank cannot be framed: the connection ends rather than leave the client waiting for the rest.
        if (sent !== size) this.socket.destroy();
        else this.written();
      } finally {
        await handle.close();
      }
    }

    /** node:http takes the connection over, with the bytes not consumed yet. */
    private handOver(): void {
      this.handedOver = true;
      live.delete(this);
      const socket = this.socket;
      socket.off('data', this.onData);
      socket.off('end', this.onEnd);
      socket.off('error', this.onError);
      socket.off('close', this.onClose);
      socket.off('timeout', this.onTimeout);
      socket.setTimeout(0);
      // node:http reads a paused socket only once something resumes it; it flows again once its listeners are on.
      if (socket.isPaused()) socket.resume();
      if (this.pending !== '') socket.unshift(Buffer.from(this.pending, 'latin1'));
      this.pending = '';
      for (const listener of nodeListeners) listener.call(server, socket);
    }

    /** Shutting down: an idle connection is closed now (as closeIdleConnections does), a busy one after its answer. */
    close(): void {
      if (!this.busy) this.socket.destroy();
    }
  }

  server.on('connection', (socket: Socket) => {
    // A per-connection request limit (maxRequestsPerSocket) is node:http's to count and announce.
    if (stopping || server.maxRequestsPerSocket) for (const listener of nodeListeners) listener.call(server, socket);
    else new FastConnection(socket);
  });
  return {
    get connections() {
      return live.size;
    },
    closeIdle() {
      stopping = true;
      for (const c of live) c.close();
    },
  };
}

/** Resolves when the socket can take more, or is gone. */
function drained(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
