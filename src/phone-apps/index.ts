// The phone apps: one request in (path below the mount, User-Agent, source address), one screen out in the phone's
// own format. The phone is known by the token in its URL, and the vendor comes from its device record; a wrong,
// revoked or rotated token, a phone over its rate, or any failure gets a plain screen (never a stack trace or an
// HTML error page) and a log line.
import { BoundedMemo } from '../domain/bounded-memo';
import { DomainError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';
import type { Logger } from '../log';
import type { PhoneAppDevice } from '../services/phone-app-devices';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import { parseUserAgent } from '../vendors/identify-device';
import { agentApp } from './agent-app';
import { contextFor, limitsOf, type PhoneAppServices } from './context';
import { directoryApp } from './directory-app';
import { type BucketOptions, RateLimiter } from './rate-limit';
import { renderPolycom } from './render-polycom';
import { renderYealink } from './render-yealink';
import { EXIT, type RenderedScreen, type Screen, type ScreenLimits } from './screen';
import { voicemailApp } from './voicemail-app';

export { idleStatus } from './agent-app';
export type { PhoneAppServices } from './context';

export interface PhoneAppsDeps {
  readonly devices: { byToken(token: string, lookup?: boolean): Promise<PhoneAppDevice | null> };
  readonly profiles: { byId(id: string): FirmwareProfile | undefined };
  readonly services: PhoneAppServices;
  /** settings.phoneAppsBaseUrl: what the provisioned URLs start with, e.g. `https://pbx.example.net/phone-apps`. */
  readonly baseUrl: string;
  readonly log?: Logger;
  /** Per phone token (default burst 20, 5/s) and, for refused tokens, per source address (burst 10, 1/s). */
  readonly perToken?: BucketOptions;
  readonly perAddressMisses?: BucketOptions;
  /** Polycom idle-browser page refresh (the provisioning setting agentIdleRefreshSeconds). */
  readonly idleRefreshSeconds?: number;
  readonly now?: () => number;
}

export interface PhoneAppRequest {
  readonly method: string;
  /** Below the mount, e.g. `/<token>/voicemail/3/new`. */
  readonly path: string;
  /** The raw query string without `?`. */
  readonly query: string;
  readonly userAgent: string | null;
  readonly clientIp: string;
}

export interface PhoneAppAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Screen sizes for error screens of phones we could not identify (their vendor guessed from the User-Agent). */
const FALLBACK: Record<'polycom' | 'yealink', ScreenLimits> = {
  polycom: { vendor: 'polycom', itemsPerPage: 5, lineChars: 20, color: false },
  yealink: { vendor: 'yealink', itemsPerPage: 5, lineChars: 20, color: false },
};

/** Renderings remembered (a few KB each: ~20 MB at most). */
const RENDERED_MAX = 5000;

export class PhoneApps {
  private readonly perToken: RateLimiter;
  private readonly perAddress: RateLimiter;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Screen (as JSON) and model -> its rendering; the oldest go first past RENDERED_MAX. */
  private readonly rendered = new BoundedMemo<RenderedScreen>(RENDERED_MAX);

  constructor(private readonly deps: PhoneAppsDeps) {
    this.perToken = new RateLimiter(deps.perToken ?? { burst: 20, perSecond: 5 });
    this.perAddress = new RateLimiter(deps.perAddressMisses ?? { burst: 10, perSecond: 1 });
    this.log = deps.log ?? (() => {});
    this.now = deps.now ?? Date.now;
  }

  async answer(req: PhoneAppRequest): Promise<PhoneAppAnswer> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return {
        status: 405,
        contentType: 'text/plain; charset=utf-8',
        body: 'Method not allowed\n',
        headers: { Allow: 'GET, HEAD' },
      };
    try {
      return await this.serve(req);
    } catch (err) {
      // The database or a snapshot read failed before any screen existed: still a plain screen, never a 500 page.
      this.log('error', 'phone-apps: request failed', { path: req.path.replace(/^\/[^/]+/, '/…').slice(0, 120), err });
      return this.guessed(req.userAgent, 'internal', 'Something failed.', 'Try again later.');
    }
  }

  private async serve(req: PhoneAppRequest): Promise<PhoneAppAnswer> {
    const now = this.now();
    const [token = '', app, ...rest] = req.path.slice(0, 1024).split('/').filter(Boolean);
    // An address that keeps presenting tokens that match nothing gets no more database lookups for a while; phones
    // behind it (a customer's NAT) whose tokens were recognised before keep working.
    const missKey = req.clientIp;
    const lookup = this.perAddress.allows(missKey, now);
    const found = await this.deps.devices.byToken(token, lookup);
    if (!found && !lookup) {
      this.log('warn', 'phone-apps: refused tokens from this address, slowing it down', { ip: req.clientIp });
      return this.guessed(req.userAgent, 'rate', 'Too many requests.', 'Try again later.');
    }
    const profile = found ? this.deps.profiles.byId(found.device.profileId) : undefined;
    if (!found || !profile) {
      this.perAddress.take(missKey, now);
      this.log('warn', 'phone-apps: token refused', {
        ip: req.clientIp,
        userAgent: req.userAgent?.slice(0, 120) ?? null,
        token: token.length > 6 ? `${token.slice(0, 4)}…` : token,
        reason: found ? 'device model unknown' : 'unknown, revoked or rotated token',
      });
      return this.guessed(req.userAgent, 'token', 'Invalid phone link.', 'Restart the phone.');
    }
    if (!this.perToken.take(token, now)) {
      this.log('warn', 'phone-apps: rate limited', { deviceId: found.device.id, ip: req.clientIp });
      return this.screen(
        profile,
        'rate',
        {
          type: 'text',
          title: 'Please wait',
          lines: ['Too many requests.', 'Wait a few seconds.'],
          softkeys: [{ label: 'Exit', target: EXIT }],
        },
        { 'Retry-After': String(Math.max(1, this.perToken.retryAfter(token))) },
      );
    }
    const ctx = contextFor(
      { device: found.device, snap: found.snap, profile, viewer: found.viewer, services: this.deps.services },
      this.deps.baseUrl,
      token,
    );
    let screen: Screen;
    try {
      const query = new URLSearchParams(req.query.slice(0, 512));
      if (app === 'voicemail') screen = await voicemailApp(ctx, rest, new Date(now));
      else if (app === 'directory') screen = directoryApp(ctx, rest, query);
      else if (app === 'agent') screen = await agentApp(ctx, rest, this.deps.idleRefreshSeconds ?? 60);
      else throw new NotFoundError('no such app');
    } catch (err) {
      return this.screen(profile, errorCode(err), this.errorScreen(err, found.device.id, req.path));
    }
    return this.screen(profile, null, screen);
  }

  private errorScreen(err: unknown, deviceId: number, path: string): Screen {
    let lines: string[];
    if (err instanceof NotFoundError) lines = ['Not found.', 'It may be deleted.'];
    else if (err instanceof UnavailableError) lines = ['No answer from PBX.', 'Try again later.'];
    else if (err instanceof ValidationError || err instanceof DomainError) lines = [err.message];
    else {
      this.log('error', 'phone-apps: request failed', {
        deviceId,
        path: path.replace(/^\/[^/]+/, '/…').slice(0, 120),
        err,
      });
      lines = ['Something failed.', 'Try again later.'];
    }
    return { type: 'text', title: 'Sorry', lines, softkeys: [{ label: 'Exit', target: EXIT }] };
  }

  private screen(
    profile: FirmwareProfile,
    error: string | null,
    screen: Screen,
    headers: Record<string, string> = {},
  ): PhoneAppAnswer {
    // Rendering is a pure function of the screen and the model: phones ask for the same screens again and again (the
    // idle page every refresh, a page of a list while paging back), and xmlbuilder2 was a quarter of a list's cost.
    const key = `${profile.id}\n${JSON.stringify(screen)}`;
    const out = this.rendered.get(key, () => {
      const limits = limitsOf(profile);
      return profile.vendor === 'yealink' ? renderYealink(screen, limits) : renderPolycom(screen, limits);
    });
    return answer(out.contentType, out.body, error, headers);
  }

  /** A phone we could not identify: its vendor's format if the User-Agent says which, plain text otherwise. */
  private guessed(userAgent: string | null, error: string, ...lines: string[]): PhoneAppAnswer {
    const vendor = parseUserAgent(userAgent)?.vendor;
    const screen: Screen = { type: 'text', title: 'Phone apps', lines, softkeys: [{ label: 'Exit', target: EXIT }] };
    if (vendor === 'yealink' || vendor === 'polycom') {
      const out =
        vendor === 'yealink' ? renderYealink(screen, FALLBACK.yealink) : renderPolycom(screen, FALLBACK.polycom);
      return answer(out.contentType, out.body, error);
    }
    return answer('text/plain; charset=utf-8', `${lines.join('\n')}\n`, error);
  }
}

/**
 * Phones show a page only when it comes with 200 (anything else gets the phone's own "load failed"), so refusals
 * are 200 with an error screen; `X-Dialtone-Error` says which for logs and tests.
 */
function answer(
  contentType: string,
  body: string,
  error: string | null,
  extra: Record<string, string> = {},
): PhoneAppAnswer {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...extra };
  if (error) headers['X-Dialtone-Error'] = error;
  return { status: 200, contentType, body, headers };
}

function errorCode(err: unknown): string {
  if (err instanceof NotFoundError) return 'not-found';
  if (err instanceof UnavailableError) return 'unavailable';
  if (err instanceof DomainError) return 'refused';
  return 'internal';
}
