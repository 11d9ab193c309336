// mod_callcenter agent status (what phones display and agents change) and queue membership.

import { type ApiRunner, expectNoError, expectOk, integerField } from './api-reply';
import { oneOf, qualifiedName } from './arguments';
import { EslReplyFormatError } from './errors';

export const AGENT_STATUSES = ['Logged Out', 'Available', 'Available (On Demand)', 'On Break'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export function agentStatusCommand(agent: string): string {
  return `callcenter_config agent get status ${qualifiedName(agent, 'agent')}`;
}

/** The bare status word(s), no trailing newline. */
export function parseAgentStatus(body: string): AgentStatus {
  expectNoError('callcenter_config agent get status', body);
  const status = body.trim() as AgentStatus;
  if (!AGENT_STATUSES.includes(status)) {
    throw new EslReplyFormatError(`unknown agent status ${JSON.stringify(body.slice(0, 80))}`, body);
  }
  return status;
}

export async function agentStatus(fs: ApiRunner, agent: string): Promise<AgentStatus> {
  return parseAgentStatus(await fs.api(agentStatusCommand(agent)));
}

/**
 * callcenter_config splits its arguments on spaces but honours single quotes, so a two-word status must be sent
 * as `'On Break'` (unquoted, FreeSWITCH answers `-ERR Invalid Agent Status!`). The status comes from a fixed list.
 */
export function setAgentStatusCommand(agent: string, status: AgentStatus): string {
  const word = oneOf(status, AGENT_STATUSES, 'status');
  const quoted = word.includes(' ') ? `'${word}'` : word;
  return `callcenter_config agent set status ${qualifiedName(agent, 'agent')} ${quoted}`;
}

/** `+OK`, or EslApiError (`-ERR Agent not found!`, `-ERR Invalid Agent Status!`). Fires CUSTOM callcenter::info. */
export async function setAgentStatus(fs: ApiRunner, agent: string, status: AgentStatus): Promise<void> {
  const command = setAgentStatusCommand(agent, status);
  expectOk(command, await fs.api(command));
}

/** One row of `callcenter_config agent list` / `queue list agents`. */
export interface CallcenterAgent {
  readonly name: string;
  readonly instanceId: string;
  readonly uuid: string;
  /** `callback` or `uuid-standby`. */
  readonly type: string;
  /** Dial string, e.g. `[leg_timeout=10]user/1001@acme.pbx.test`. */
  readonly contact: string;
  /** One of AGENT_STATUSES in practice; kept as text so a newer FreeSWITCH can't break the listing. */
  readonly status: string;
  /** `Waiting`, `Receiving`, `In a queue call`, `Idle`, ... */
  readonly state: string;
  readonly maxNoAnswer: number;
  readonly wrapUpTime: number;
  readonly rejectDelayTime: number;
  readonly busyDelayTime: number;
  readonly noAnswerDelayTime: number;
  /** Epoch seconds (0 = never) for the last-* fields. */
  readonly lastBridgeStart: number;
  readonly lastBridgeEnd: number;
  readonly lastOfferedCall: number;
  readonly lastStatusChange: number;
  readonly noAnswerCount: number;
  readonly callsAnswered: number;
  readonly talkTime: number;
  readonly readyTime: number;
  readonly externalCallsCount: number;
}

const TEXT_COLUMNS = {
  name: 'name',
  instance_id: 'instanceId',
  uuid: 'uuid',
  type: 'type',
  contact: 'contact',
  status: 'status',
  state: 'state',
} as const;
const NUMBER_COLUMNS = {
  max_no_answer: 'maxNoAnswer',
  wrap_up_time: 'wrapUpTime',
  reject_delay_time: 'rejectDelayTime',
  busy_delay_time: 'busyDelayTime',
  no_answer_delay_time: 'noAnswerDelayTime',
  last_bridge_start: 'lastBridgeStart',
  last_bridge_end: 'lastBridgeEnd',
  last_offered_call: 'lastOfferedCall',
  last_status_change: 'lastStatusChange',
  no_answer_count: 'noAnswerCount',
  calls_answered: 'callsAnswered',
  talk_time: 'talkTime',
  ready_time: 'readyTime',
  external_calls_count: 'externalCallsCount',
} as const;

/** `|`-separated table: a header row, one row per agent, then a line `+OK`. */
export function parseAgentTable(body: string, command = 'callcenter_config agent list'): CallcenterAgent[] {
  expectNoError(command, body);
  const lines = body.split('\n').filter((line) => line.length > 0);
  if (lines.at(-1) !== '+OK') throw new EslReplyFormatError(`${command}: no closing +OK`, body);
  const [header, ...rows] = lines.slice(0, -1);
  if (header === undefined) return [];
  const columns = header.split('|');
  for (const required of [...Object.keys(TEXT_COLUMNS), ...Object.keys(NUMBER_COLUMNS)]) {
    if (!columns.includes(required)) throw new EslReplyFormatError(`${command}: column ${required} missing`, body);
  }
  return rows.map((row) => {
    const cells = row.split('|');
    if (cells.length !== columns.length) {
      throw new EslReplyFormatError(`${command}: row has ${cells.length} cells, header has ${columns.length}`, body);
    }
    const agent: Record<string, string | number> = {};
    columns.forEach((column, i) => {
      if (column in TEXT_COLUMNS) agent[TEXT_COLUMNS[column as keyof typeof TEXT_COLUMNS]] = cells[i]!;
      else if (column in NUMBER_COLUMNS) {
        agent[NUMBER_COLUMNS[column as keyof typeof NUMBER_COLUMNS]] = integerField(command, body, column, cells[i]);
      }
    });
    return agent as unknown as CallcenterAgent;
  });
}

export function queueAgentsCommand(queue: string): string {
  return `callcenter_config queue list agents ${qualifiedName(queue, 'queue')}`;
}

export async function queueAgents(fs: ApiRunner, queue: string): Promise<CallcenterAgent[]> {
  const command = queueAgentsCommand(queue);
  return parseAgentTable(await fs.api(command), command);
}
