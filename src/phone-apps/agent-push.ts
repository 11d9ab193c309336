// Yealink idle screens follow the agent's status: whenever mod_callcenter reports a change (the phone app, the
// portal, the agent feature codes), each Yealink phone whose line 1 is that agent and whose extension shows the
// status on the idle screen gets a YealinkIPPhoneStatus in a SIP NOTIFY (Event: Yealink-xml; the provisioning
// sets push_xml.sip_notify = 1). "Logged Out" sends an empty Status of the same SessionID, which clears it.
// Polycom phones need nothing: their idle browser re-fetches `agent/idle` every mb.idleDisplay.refresh seconds.
import type { Logger } from '../log';
import type { AgentChange, AgentStatusService } from '../services/agent-status';
import type { LiveEntry } from '../services/live-snapshots';
import type { FirmwareProfile } from '../vendors/firmware-profile';
import { idleStatus } from './agent-app';
import { limitsOf } from './context';
import { renderYealink } from './render-yealink';

export interface AgentPushDeps {
  readonly agents: AgentStatusService;
  readonly snapshots: { byDomain(domain: string): Promise<LiveEntry | null> };
  readonly profiles: { byId(id: string): FirmwareProfile | undefined };
  readonly log?: Logger;
}

export class AgentStatusPush {
  private readonly log: Logger;

  constructor(private readonly deps: AgentPushDeps) {
    this.log = deps.log ?? (() => {});
  }

  /** Subscribes to FreeSWITCH's agent changes; resolves to the function that stops it. */
  start(): Promise<() => void> {
    return this.deps.agents.onChange(async (change) => {
      await this.push(change).catch((err) => this.log('warn', 'agent status: push to phone failed', { err }));
    });
  }

  /** Pushes one change; returns how many phones (registrations of the extension) it was sent for. */
  async push(change: AgentChange): Promise<number> {
    const entry = await this.deps.snapshots.byDomain(change.domain);
    const ext = entry?.snap.extensions.find((e) => e.number.replace(/\D/g, '') === change.extensionNumber);
    if (!entry || !ext?.agentStatusDisplay) return 0;
    const phones = entry.snap.devices
      .filter((d) => d.extensionIds[0] === ext.id)
      .map((d) => this.deps.profiles.byId(d.profileId))
      .filter((p): p is FirmwareProfile => p?.vendor === 'yealink' && p.features.pushedStatus);
    if (phones.length === 0) return 0;
    // One NOTIFY reaches every registration of the extension; render for the smallest screen among its phones.
    const smallest = phones.reduce((a, b) => (b.screen.lineChars < a.screen.lineChars ? b : a));
    const body = renderYealink(idleStatus(change.status, 0), limitsOf(smallest)).body;
    await this.deps.agents.notifyPhone(change.extensionNumber, change.domain, 'Yealink-xml', 'application/xml', body);
    return phones.length;
  }
}
