// Portal test harness: the real app on an ephemeral port over a real database, and a small browser-like client
// (cookie jar, CSRF token taken from the page, forms posted urlencoded) for route tests and the IDOR sweep.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppOptions, createApp } from '../../src/portal/app';
import type { Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';

export interface PortalServer {
  url: string;
  close(): Promise<void>;
}

export async function startPortal(services: Services, opts: Partial<AppOptions> = {}): Promise<PortalServer> {
  const app = createApp(services, { log: () => {}, ...opts });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Answer {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export type Form = Record<string, string | string[]>;

/** A cookie-keeping client: what a browser does with Set-Cookie and forms, nothing more. */
export class PortalClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that carried one. */
  csrf = '';

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, path: string, form?: Form, headers: Record<string, string> = {}): Promise<Answer> {
    let body: string | undefined;
    const h: Record<string, string> = { cookie: this.cookieHeader(), ...headers };
    if (form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
      body = p.toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + path, { method, body, headers: h, redirect: 'manual' });
    this.keep(res);
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1];
    return { status: res.status, location: res.headers.get('location'), body: text, headers: res.headers };
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  /** Posts a form with this session's CSRF token (unless the form sets _csrf itself). */
  post(path: string, form: Form = {}): Promise<Answer> {
    return this.request('POST', path, { _csrf: this.csrf, ...form });
  }

  /** Follows one redirect with a GET (post/redirect/get). */
  async follow(a: Answer): Promise<Answer> {
    if (!a.location) throw new Error(`no redirect (status ${a.status}): ${a.body.slice(0, 300)}`);
    return this.get(a.location);
  }

  async login(username: string, password: string, remember = false): Promise<Answer> {
    const page = await this.get('/login');
    const token = /name="_login" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await this.request('POST', '/login', {
      _login: token,
      username,
      password,
      ...(remember ? { remember: 'on' } : {}),
    });
    if (res.status === 303) await this.get('/'); // picks up the session's CSRF token
    return res;
  }
}

export const PASSWORD = 'correct horse battery';

/** A portal user of the PBX (admin by default), with the test password. */
export async function makeUser(
  services: Services,
  pbxId: number,
  username: string,
  more: Record<string, unknown> = {},
): Promise<number> {
  const u = await services.users.create(SYSTEM, pbxId, {
    username,
    password: PASSWORD,
    type: 'admin',
    firstName: 'Test',
    lastName: 'User',
    ...more,
  });
  return u.id;
}
