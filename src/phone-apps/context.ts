// What every phone-app handler gets: the phone (from its token, never from the request), its PBX and screen limits,
// the services, and a builder of our own URLs that always carries the phone's token.
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { AgentStatusService } from '../services/agent-status';
import type { DeviceViewer, VoicemailService } from '../services/voicemail';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import { type ScreenLimits, type Target, url } from './screen';

export interface PhoneAppServices {
  readonly voicemail: VoicemailService;
  readonly agents: AgentStatusService;
}

export interface AppContext {
  readonly device: Device;
  readonly snap: PbxSnapshot;
  readonly profile: FirmwareProfile;
  readonly viewer: DeviceViewer;
  readonly limits: ScreenLimits;
  readonly services: PhoneAppServices;
  /** Absolute URL of one of our routes for this phone: `<base>/<token>/<path>[?query]`. */
  link(path: string, query?: Record<string, string>): string;
  /** The same, as a screen target. */
  go(path: string, query?: Record<string, string>): Target;
}

/** Builds `<base>/<token>/<path>`: each path segment percent-encoded, so nothing typed can add a segment or a query. */
export function appLinker(base: string, token: string): (path: string, query?: Record<string, string>) => string {
  const root = `${base.replace(/\/+$/, '')}/${encodeURIComponent(token)}`;
  return (path, query) => {
    const segments = path
      .split('/')
      .filter(Boolean)
      .map((s) => encodeURIComponent(s));
    const q = query ? new URLSearchParams(query).toString() : '';
    return `${root}/${segments.join('/')}${q ? `?${q}` : ''}`;
  };
}

export function limitsOf(profile: FirmwareProfile): ScreenLimits {
  return {
    vendor: profile.vendor,
    itemsPerPage: Math.min(30, profile.screen.itemsPerPage),
    lineChars: profile.screen.lineChars,
    color: profile.screen.color,
  };
}

export function contextFor(parts: Omit<AppContext, 'link' | 'go' | 'limits'>, base: string, token: string): AppContext {
  const link = appLinker(base, token);
  return { ...parts, limits: limitsOf(parts.profile), link, go: (path, query) => url(link(path, query)) };
}
