// Logging in and out (manual: "Accessing your PBX account"): username, password, Remember Me; throttled per account
// and per address. The login form carries a double-submit token (there is no session yet to tie one to).
import type { Request, Response } from 'express';
import { randomToken } from '../../services/secrets';
import { csrfMatches } from '../../services/sessions';
import type { Portal } from '../context';
import { clearCookie, cookieNames, readCookies, safeNext, setCookie } from '../http';
import { renderPage } from '../render';

function minutes(sec: number): string {
  const m = Math.ceil(sec / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  opts: { error?: string; username?: string; status?: number },
) {
  const token = randomToken();
  setCookie(res, cookieNames(portal.secure).loginCsrf, token, { secure: portal.secure, sameSite: 'Strict' });
  renderPage(
    portal,
    req,
    res,
    'auth/login',
    {
      loginToken: token,
      next: safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next),
      username: opts.username ?? '',
      error: opts.error ?? null,
      expired: req.query.expired === '1',
    },
    { title: 'Log in', status: opts.status },
  );
}

export async function loginForm(portal: Portal, req: Request, res: Response): Promise<void> {
  if (res.locals.viewer) {
    res.redirect(303, safeNext(req.query.next));
    return;
  }
  showForm(portal, req, res, {});
}

export async function login(portal: Portal, req: Request, res: Response): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const username = typeof body.username === 'string' ? body.username.trim().slice(0, 254) : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const names = cookieNames(portal.secure);
  const expected = readCookies(req)[names.loginCsrf];
  if (!expected || !csrfMatches(expected, body._login)) {
    showForm(portal, req, res, {
      username,
      status: 403,
      error: 'The login page had expired or your browser does not accept cookies. Please try again.',
    });
    return;
  }
  const ip = req.socket.remoteAddress ?? 'unknown';
  const verdict = portal.throttle.check(username, ip);
  if (verdict.blocked) {
    res.setHeader('Retry-After', String(verdict.retryAfterSec));
    showForm(portal, req, res, {
      username,
      status: 429,
      error:
        verdict.reason === 'account'
          ? `Too many failed attempts for this username. Wait ${minutes(verdict.retryAfterSec)}, then try again (or ask your administrator to reset your password).`
          : `Too many failed logins from your network. Wait ${minutes(verdict.retryAfterSec)}, then try again.`,
    });
    return;
  }
  const user = await portal.services.users.authenticate(username, password);
  if (!user) {
    portal.throttle.fail(username, ip);
    showForm(portal, req, res, {
      username,
      status: 401,
      error: 'The username or password is not correct, or this login is disabled.',
    });
    return;
  }
  portal.throttle.succeed(username);
  // A fresh session (and CSRF token) at every login: a token planted before login is worth nothing after it.
  const old = readCookies(req)[names.session];
  if (old) await portal.services.sessions.end(old);
  const remember = body.remember === 'on' || body.remember === 'true';
  const s = await portal.services.sessions.start(user.id, remember);
  setCookie(res, names.session, s.token, {
    secure: portal.secure,
    maxAgeSec: remember ? Math.floor((s.expiresAt.getTime() - Date.now()) / 1000) : undefined,
  });
  clearCookie(res, names.loginCsrf, portal.secure);
  res.redirect(303, safeNext(body.next));
}

export async function logout(portal: Portal, _req: Request, res: Response): Promise<void> {
  const token = res.locals.sessionToken as string | undefined;
  if (token) await portal.services.sessions.end(token);
  clearCookie(res, cookieNames(portal.secure).session, portal.secure);
  res.redirect(303, '/login');
}
