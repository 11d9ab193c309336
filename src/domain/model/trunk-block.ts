// Call blocks (inbound by caller ID, outbound by dialed number) and SIP trunks (FreeSWITCH gateways).
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const BLOCK_DIRECTIONS = ['inbound', 'outbound'] as const;
export type BlockDirection = (typeof BLOCK_DIRECTIONS)[number];

export const CallBlockSchema = defineEntity({
  name: 'CallBlock',
  tableName: 'call_block',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    number: p.string().length(15),
    direction: p.string().length(8).$type<BlockDirection>(),
    comment: p.string().length(200).nullable(),
  },
  uniques: [{ properties: ['pbxId', 'number', 'direction'] }],
});
export type CallBlock = InferEntity<typeof CallBlockSchema>;

export const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const SipTrunkSchema = defineEntity({
  name: 'SipTrunk',
  tableName: 'sip_trunk',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    /** Lowercase slug; the gateway is named <pbx context>_<name>. */
    name: p.string().length(32),
    host: p.string().length(253),
    port: p.integer(),
    transport: p.string().length(3).$type<Transport>(),
    username: p.string().length(64).nullable(),
    password: p.string().length(64).nullable(),
    register: p.boolean(),
    /** Digits prepended to numbers sent over this trunk. */
    prefix: p.string().length(8).nullable(),
  },
  uniques: [{ properties: ['pbxId', 'name'] }],
});
export type SipTrunk = InferEntity<typeof SipTrunkSchema>;
