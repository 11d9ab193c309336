// Cookies, security headers and flash messages: the small HTTP pieces of the portal, without extra dependencies.
import type { Request, Response } from 'express';

/** Headers every answer carries: no inline script, never framed, no MIME sniffing, no URL leaking to other sites. */
export function securityHeaders(
  _req: unknown,
  res: { setHeader(name: string, value: string): unknown },
  next: () => void,
): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; " +
      "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), geolocation=(), microphone=(), payment=()');
  next();
}

export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 1) continue;
    const name = part.slice(0, i).trim();
    if (name in out) continue; // the first (most specific path) wins, as browsers send it
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a cookie we did not write; ignore it
    }
  }
  return out;
}

export interface CookieNames {
  session: string;
  loginCsrf: string;
  flash: string;
}

/** __Host- cookies (Secure, Path=/, no Domain) cannot be set by a sibling subdomain; they need https. */
export function cookieNames(secure: boolean): CookieNames {
  const p = secure ? '__Host-' : '';
  return { session: `${p}dialtone_session`, loginCsrf: `${p}dialtone_login`, flash: `${p}dialtone_flash` };
}

export function setCookie(
  res: Response,
  name: string,
  value: string,
  opts: { secure: boolean; maxAgeSec?: number; sameSite?: 'Lax' | 'Strict' },
): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', `SameSite=${opts.sameSite ?? 'Lax'}`];
  if (opts.secure) parts.push('Secure');
  if (opts.maxAgeSec !== undefined) parts.push(`Max-Age=${opts.maxAgeSec}`);
  res.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  setCookie(res, name, '', { secure, maxAgeSec: 0 });
}

/** A message shown once on the next page (post/redirect/get). */
export function flash(res: Response, secure: boolean, text: string): void {
  setCookie(res, cookieNames(secure).flash, Buffer.from(text.slice(0, 300), 'utf8').toString('base64url'), {
    secure,
    maxAgeSec: 60,
  });
}

export function takeFlash(req: Request, res: Response, secure: boolean): string | null {
  const name = cookieNames(secure).flash;
  const raw = readCookies(req)[name];
  if (raw === undefined) return null;
  clearCookie(res, name, secure);
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  return text ? text.slice(0, 300) : null;
}

/** Where to go after login: a path on this site only (never //evil.example or a scheme). */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\/(?![/\\])[\x21-\x7e]*$/.test(raw) || raw.startsWith('/login')) return '/';
  return raw;
}
