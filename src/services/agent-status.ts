// Queue agents' mod_callcenter status for the phones (and the portal): read and change it over the event socket,
// hear about every change (the agent codes, the portal, another phone) as callcenter::info events, and push a text
// to a phone's idle screen with a SIP NOTIFY.
import { NotFoundError, UnavailableError } from '../domain/errors';
import type { Extension } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import {
  type AgentStatus,
  agentStatus,
  EslApiError,
  EslError,
  type FreeswitchControl,
  notifyPhone,
  setAgentStatus,
} from '../freeswitch/event-socket';
import { pbxDomain } from '../freeswitch/generator/dialplan/identity';
import type { Logger } from '../log';

/** The three statuses phones offer (mod_callcenter also knows "Available (On Demand)", shown as it is). */
export const PHONE_AGENT_STATUSES = ['Available', 'On Break', 'Logged Out'] as const satisfies readonly AgentStatus[];
export type PhoneAgentStatus = (typeof PHONE_AGENT_STATUSES)[number];

export interface AgentChange {
  /** The agent's domain (the PBX's SIP domain) and extension number, from `CC-Agent: <number>@<domain>`. */
  readonly domain: string;
  readonly extensionNumber: string;
  readonly status: string;
}

/** The generator's agent name (flows/queues.ts): `<extension digits>@<domain>`. */
export function agentName(snap: PbxSnapshot, ext: Extension): string {
  return `${ext.number.replace(/\D/g, '')}@${pbxDomain(snap)}`;
}

/** Whether the extension is an agent of any queue of its PBX. */
export function isAgent(snap: PbxSnapshot, extensionId: number): boolean {
  return snap.queues.some((q) => q.agentIds.includes(extensionId));
}

export class AgentStatusService {
  constructor(
    private readonly fs: FreeswitchControl,
    private readonly log: Logger = () => {},
  ) {}

  /** The agent's status, or null when the extension is in no queue (or FreeSWITCH does not know the agent yet). */
  async status(snap: PbxSnapshot, ext: Extension): Promise<string | null> {
    if (!isAgent(snap, ext.id)) return null;
    try {
      return await agentStatus(this.fs, agentName(snap, ext));
    } catch (err) {
      // `-ERR Agent not found!`: callcenter.conf not reloaded since the extension joined a queue.
      if (err instanceof EslApiError) return null;
      throw this.unavailable(err);
    }
  }

  async setStatus(snap: PbxSnapshot, ext: Extension, status: PhoneAgentStatus): Promise<void> {
    if (!isAgent(snap, ext.id)) throw new NotFoundError('this extension is not a queue agent');
    if (!PHONE_AGENT_STATUSES.includes(status)) throw new NotFoundError('no such agent status');
    try {
      await setAgentStatus(this.fs, agentName(snap, ext), status);
    } catch (err) {
      if (err instanceof EslApiError) throw new NotFoundError('FreeSWITCH does not know this agent yet');
      throw this.unavailable(err);
    }
  }

  /** Every status change FreeSWITCH reports (CUSTOM callcenter::info, CC-Action agent-status-change). */
  onChange(listener: (change: AgentChange) => void | Promise<void>): Promise<() => void> {
    return this.fs.onEvent(['CUSTOM', 'callcenter::info'], (event) => {
      if (event.headers['CC-Action'] !== 'agent-status-change') return;
      const agent = event.headers['CC-Agent'] ?? '';
      const status = event.headers['CC-Agent-Status'] ?? '';
      const at = agent.indexOf('@');
      if (at <= 0 || !status) return;
      return listener({ extensionNumber: agent.slice(0, at), domain: agent.slice(at + 1).toLowerCase(), status });
    });
  }

  /** Sends `body` to the phones registered as `user@domain` in a SIP NOTIFY (Yealink: `Event: Yealink-xml`). */
  async notifyPhone(user: string, domain: string, event: string, contentType: string, body: string): Promise<void> {
    try {
      await notifyPhone(this.fs, { user, domain, event, contentType, body });
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  private unavailable(err: unknown): unknown {
    if (!(err instanceof EslError)) return err;
    this.log('warn', 'agent status: FreeSWITCH did not answer', { err });
    return new UnavailableError('agent status is unavailable: FreeSWITCH did not answer');
  }
}
