// A running API for the route suites: the fixture's two PBXs (A, B) behind createApp on an ephemeral port, with users
// of each role holding tokens, and a small HTTP client that sends exactly what it is given.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortalUserSchema } from '../../../src/domain/model';
import { MODULES } from '../../../src/domain/rules/device-user-rules';
import { createApp } from '../../../src/portal/app';
import { SYSTEM } from '../../../src/services/actor';
import type { Engine } from '../../helpers/databases';
import { type Fixture, openFixture } from '../../services/fixture';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body (undefined when it is not JSON). */
  json: any;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is (no JSON encoding), e.g. broken JSON or 1 MB of text. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ApiWorld {
  fx: Fixture;
  url: string;
  tokens: {
    adminA: string;
    /** Administrator of A without the sip_trunks and devices modules. */
    limitedA: string;
    employeeA1: string;
    employeeA2: string;
    adminB: string;
  };
  userIds: Record<keyof ApiWorld['tokens'], number>;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery';

export async function openApiWorld(engine: Engine): Promise<ApiWorld> {
  const fx = await openFixture(engine);
  const s = fx.s;
  const A = fx.a.pbx.id;
  const B = fx.b.pbx.id;
  const users: Record<string, [number, Record<string, unknown>]> = {
    adminA: [A, { username: 'api-admin@a.test', type: 'admin' }],
    limitedA: [
      A,
      {
        username: 'api-limited@a.test',
        type: 'admin',
        permissions: MODULES.filter((m) => m !== 'sip_trunks' && m !== 'devices'),
      },
    ],
    employeeA1: [A, { username: 'api-emp1@a.test', type: 'employee', extensionId: fx.a.ext['201'].id }],
    employeeA2: [A, { username: 'api-emp2@a.test', type: 'employee', extensionId: fx.a.ext['202'].id }],
    adminB: [B, { username: 'api-admin@b.test', type: 'admin' }],
  };
  const tokens: Record<string, string> = {};
  const userIds: Record<string, number> = {};
  for (const [key, [pbxId, input]] of Object.entries(users)) {
    const u = await s.users.create(SYSTEM, pbxId, { password: PASSWORD, ...input });
    userIds[key] = u.id;
    tokens[key] = (await s.apiTokens.create(SYSTEM, pbxId, u.id, { name: key })).secret;
  }
  const logged: unknown[] = [];
  const app = createApp(s, { log: (msg, err) => logged.push([msg, err]) });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization ??= `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  return {
    fx,
    url,
    tokens: tokens as ApiWorld['tokens'],
    userIds: userIds as ApiWorld['userIds'],
    call,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await fx.w.close();
      if (logged.length) throw new Error(`the API logged unhandled errors: ${JSON.stringify(logged).slice(0, 500)}`);
    },
  };
}

/** The user row behind a token's user id (for tests that disable or delete users). */
export async function userRow(w: ApiWorld, id: number) {
  return w.fx.s.orm.em.fork().findOneOrFail(PortalUserSchema, { id });
}
