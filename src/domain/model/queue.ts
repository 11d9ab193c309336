// Call queue (mod_callcenter) with extensions as agents, and the PBX's Listen Live settings.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { Destination } from '../destination';

/** mod_callcenter's strategies (FreeSWITCH 1.10); agents' order in agentIds is their tier position. */
export const QUEUE_STRATEGIES = [
  'longest-idle-agent',
  'ring-all',
  'round-robin',
  'top-down',
  'agent-with-least-talk-time',
  'agent-with-fewest-calls',
  'sequentially-by-agent-order',
  'random',
  'ring-progressively',
] as const;
export type QueueStrategy = (typeof QUEUE_STRATEGIES)[number];

export const QueueSchema = defineEntity({
  name: 'Queue',
  tableName: 'call_queue',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    /** Number agents dial with the login/logout/break codes, e.g. *41 + 600. */
    number: p.string().length(6),
    strategy: p.string().length(32).$type<QueueStrategy>(),
    agentIds: p.json<number[]>(),
    /** Longest a caller waits before `timeout` routing, in seconds. */
    maxWaitSec: p.integer(),
    /** Longest a caller waits while no agent is logged in (at most maxWaitSec), then `timeout` routing. */
    noAgentWaitSec: p.integer().default(30),
    timeout: p.json<Destination>(),
    holdMusicGroupId: p.integer().nullable(),
  },
  uniques: [{ properties: ['pbxId', 'name'] }, { properties: ['pbxId', 'number'] }],
});
export type Queue = InferEntity<typeof QueueSchema>;

export const LISTEN_MODES = ['off', 'listen', 'barge', 'both'] as const;
export type ListenMode = (typeof LISTEN_MODES)[number];

export const ListenLiveSchema = defineEntity({
  name: 'ListenLive',
  tableName: 'listen_live',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().unique(),
    mode: p.string().length(8).$type<ListenMode>(),
    /** 3 or more digits. */
    password: p.string().length(12),
    listenerIds: p.json<number[]>(),
    listenableIds: p.json<number[]>(),
  },
});
export type ListenLive = InferEntity<typeof ListenLiveSchema>;
