// What every portal handler receives: the services, the views, cookie settings, hooks other parts fill, and the viewer.
import type { Request, Response } from 'express';
import type { Module } from '../domain/rules/device-user-rules';
import type { Services } from '../services';
import type { Actor } from '../services/actor';
import type { DeviceService } from '../services/device-service';
import type { RecordCallOutcome } from '../services/greeting-recorder';
import type { PublicUser } from '../services/user-service';
import type { LoginThrottle } from './login-throttle';
import type { Views } from './views';

/** Things the portal shows when another part of Dialtone can tell it (each may be absent or answer null). */
export interface PortalHooks {
  /** Phones registered in FreeSWITCH for this SIP domain; null when FreeSWITCH cannot be asked right now. */
  registeredPhones?(domain: string): Promise<number | null>;
  /** Unread voicemail per mailbox this actor may see; null when unknown. */
  unreadVoicemail?(
    actor: Actor,
    pbxId: number,
  ): Promise<Array<{ mailbox: string; name: string; unread: number }> | null>;
  /** Agents of a queue as mod_callcenter sees them now; null (or a throw) when FreeSWITCH cannot be asked. */
  queueAgents?(queue: {
    context: string;
    domain: string;
    number: string;
  }): Promise<Array<{ name: string; status: string; state: string }> | null>;
  /** Rings `extension`'s phone into the recording flow of auto attendant `attendantId` (Record via Phone). */
  recordAttendantByPhone?(r: {
    extension: string;
    domain: string;
    context: string;
    attendantId: number;
  }): Promise<'ringing' | 'failed'>;
  /**
   * "Record by phone": ring the viewer's phone into the record step of a mailbox greeting (services/greeting-recorder.ts
   * over the event socket). Absent when this process has no event socket to FreeSWITCH.
   */
  recordGreeting?(
    actor: Actor,
    pbxId: number,
    mailboxId: number,
    greeting: 'unavailable' | 'busy' | 'name',
  ): Promise<RecordCallOutcome>;
}

/** How phones reach provisioning, for the installer's result page. */
export interface ProvisioningInfo {
  /** TFTP port of this server, or null when TFTP is off. */
  tftpPort: number | null;
}

export interface Portal {
  services: Services;
  views: Views;
  /** Cookies get Secure (and the __Host- prefix) when the portal is reached over https. */
  secure: boolean;
  publicUrl: string;
  hooks: PortalHooks;
  throttle: LoginThrottle;
  /** Phones: the provisioning server's DeviceService (main.ts), or one built on first use (tests, tools). */
  devices(): DeviceService;
  provisioning: ProvisioningInfo;
}

/** The logged-in user of this request. */
export interface Viewer {
  user: PublicUser;
  actor: Actor;
  csrfToken: string;
  pbx: { id: number; name: string; context: string; domain: string };
  isAdmin: boolean;
}

export type Handler = (portal: Portal, req: Request, res: Response) => Promise<void>;

export interface PortalRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: Handler;
  /** Permission module needed (null: any logged-in user). */
  module: Module | null;
  /** Administrators only (employees get 403). */
  admin?: boolean;
  /** No login needed (the login page itself). */
  public?: boolean;
  /** The kind (as in kinds.ts, or "users") whose id is in `:id` — the IDOR sweep plugs in other tenants' ids. */
  object?: string;
}

export function viewer(res: Response): Viewer {
  const v = res.locals.viewer as Viewer | undefined;
  if (!v) throw new Error('portal handler ran without a logged-in viewer');
  return v;
}

/** The numeric `:id` of the URL, or NaN (which every service answers with "does not exist"). */
export function idParam(req: Request): number {
  const raw = String(req.params.id ?? '');
  return /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
}
