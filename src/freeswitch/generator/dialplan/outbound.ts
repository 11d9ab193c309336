// Calls leaving the PBX: 911 (always), outbound call blocks, 7-digit, NANP, N11 and international routes via the trunk.
import type { SipTrunk } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { splitBlocks } from '../block-regex';
import { fsDigits, fsId, fsText } from '../escape';
import type { Action } from '../xml';
import { act, type Condition, type ContextFile, type DialplanExtension, dest, hangup, set } from './dsl';
import type { Scope } from './scope';

/** The trunk outbound calls use: the PBX's first SIP trunk (lowest id). */
export function firstTrunk(snap: PbxSnapshot): SipTrunk | null {
  return [...snap.sipTrunks].sort((a, b) => a.id - b.id)[0] ?? null;
}

/** Gateway name of a trunk on the external profile (flows/ writes sip_profiles/external/<trunk>.xml with it). */
export const gatewayName = (snap: PbxSnapshot, t: SipTrunk): string => `${fsId(snap.pbx.context)}_${fsId(t.name)}`;

/** Dial string of a number over a trunk, with the trunk's prefix digits. */
export function trunkDial(snap: PbxSnapshot, t: SipTrunk, number: string): string {
  return `sofia/gateway/${gatewayName(snap, t)}/${fsDigits(t.prefix ?? '')}${number}`;
}

/** Concurrent external calls of the PBX: one mod_hash counter shared with the inbound side (realm = context). */
export function pathLimit(s: Scope): Action {
  const max = Math.max(0, (s.snap.pbx.prepaidPaths | 0) + (s.snap.pbx.onDemandPaths | 0));
  return act('limit', `hash ${s.ctx} paths ${max} !NORMAL_CIRCUIT_CONGESTION`);
}

const digits = (v: string | null | undefined): string => fsDigits(v ?? '').replace(/[*#]/g, '');

/** 911 first, before any limit, block or feature: presents the extension's E911 callback number. */
export function emergencyFile(s: Scope): ContextFile {
  const gateways: string[] = [];
  const emergency = fsId(s.opts.emergencyGateway ?? '');
  if (emergency) gateways.push(`sofia/gateway/${emergency}/911`);
  const trunk = firstTrunk(s.snap);
  if (trunk) gateways.push(trunkDial(s.snap, trunk, '911'));
  const fallbackCid = digits(s.snap.pbx.callerIdNumber);
  const cnam = fsText(s.snap.pbx.callerIdName ?? '', 15);
  const callback: Condition = {
    field: '${dialtone_e911_callback}',
    expression: '^(\\d{10,15})$',
    break: 'never',
    actions: [set('effective_caller_id_number', '$1')],
    anti: fallbackCid ? [set('effective_caller_id_number', fallbackCid)] : [],
  };
  const route: Action[] = [
    set('dialtone_direction', 'outbound'),
    set('dialtone_route', 'emergency_911'),
    set('dialtone_emergency', 'true'),
    ...(cnam ? [set('effective_caller_id_name', cnam)] : []),
    set('hangup_after_bridge', 'true'),
    // Several gateways fail over in order ("|"); no limit or block ever applies to 911.
    gateways.length ? act('bridge', gateways.join('|')) : hangup('NO_ROUTE_DESTINATION'),
  ];
  return {
    file: '00_emergency',
    comment: `911 for PBX ${s.ctx}: always dialable, callback number of the caller's E911 location`,
    extensions: [{ name: 'emergency_911', conditions: [dest('^911$'), callback, { actions: route }] }],
  };
}

/** Regex alternatives that match how people dial a blocked number (10-digit NANP with or without 1/+1, 011/+). */
function blockPatterns(s: Scope, raw: string): string[] {
  const n = digits(raw);
  if (!n) return [];
  const nanp = n.length === 11 && n.startsWith('1') ? n.slice(1) : n.length === 10 ? n : null;
  if (nanp) {
    const out = [`(?:\\+?1)?${nanp}`];
    const area = digits(s.snap.pbx.areaCode);
    if (s.snap.pbx.sevenDigitDialing && area && nanp.startsWith(area)) out.push(nanp.slice(3));
    return out;
  }
  return n.length > 11 ? [`(?:\\+|011)?${n}`] : [n];
}

/** Outbound call blocks, after everything internal (so a block never shadows an extension or a room). */
export function callBlocksFile(s: Scope): ContextFile | null {
  const { exact, patterns: wild } = splitBlocks(
    s.snap.callBlocks.filter((b) => b.direction === 'outbound').map((b) => b.number),
  );
  const patterns = exact.flatMap((n) => blockPatterns(s, n));
  const unique = [...[...new Set(patterns)].sort(), ...wild];
  if (!unique.length) return null;
  return {
    file: '80_call_blocks',
    comment: `Outbound call blocks of PBX ${s.ctx}`,
    extensions: [
      {
        name: 'outbound_call_blocks',
        conditions: [dest(`^(?:${unique.join('|')})$`, [set('dialtone_blocked', 'outbound'), hangup('CALL_REJECTED')])],
      },
    ],
  };
}

/** Route one dialed pattern over the first trunk with the extension's outbound caller ID and the path limit. */
function route(s: Scope, name: string, expression: string, numberTemplate: string): DialplanExtension {
  const trunk = firstTrunk(s.snap);
  if (!trunk) return { name, conditions: [dest(expression, [hangup('NO_ROUTE_DESTINATION')])] };
  const conditions: Condition[] = [dest(expression)];
  // Callers that are extensions present their outbound caller ID; forwarded outside callers keep their own.
  conditions.push({
    field: '${outbound_caller_id_number}',
    expression: '^\\d{7,15}$',
    break: 'never',
    actions: [set('effective_caller_id_number', '${outbound_caller_id_number}')],
  });
  conditions.push({
    field: '${outbound_caller_id_name}',
    expression: '^.+$',
    break: 'never',
    actions: [set('effective_caller_id_name', '${outbound_caller_id_name}')],
  });
  // Activity's direction: an inbound call the PBX forwards out stays inbound (its public entry said so).
  conditions.push({
    field: '${dialtone_direction}',
    expression: '^inbound$',
    break: 'never',
    anti: [set('dialtone_direction', 'outbound')],
  });
  conditions.push(
    dest(expression, [
      set('dialtone_route', name),
      set('hangup_after_bridge', 'true'),
      pathLimit(s),
      act('bridge', trunkDial(s.snap, trunk, numberTemplate)),
    ]),
  );
  return { name, conditions };
}

/** Outbound routes, last in the context. */
export function outboundFile(s: Scope): ContextFile {
  // NANP first: "+1…" is a domestic call, not an international one.
  const list: DialplanExtension[] = [route(s, 'outbound_nanp', '^(?:\\+?1)?([2-9]\\d{2}[2-9]\\d{6})$', '1$1')];
  list.push(route(s, 'outbound_n11', '^([2-8]11)$', '$1'));
  const area = digits(s.snap.pbx.areaCode);
  if (s.snap.pbx.sevenDigitDialing && area.length === 3)
    list.push({
      name: 'outbound_seven_digit',
      conditions: [dest('^([2-9]\\d{6})$', [act('transfer', `${area}$1 XML ${s.ctx}`)])],
    });
  const international = '^(?:\\+|011)(\\d{7,15})$';
  if (s.snap.pbx.internationalCalling) list.push(route(s, 'outbound_international', international, '011$1'));
  else
    list.push({
      name: 'outbound_international_barred',
      conditions: [dest(international, [hangup('OUTGOING_CALL_BARRED')])],
    });
  return { file: '90_outbound', comment: `Outbound routes of PBX ${s.ctx}`, extensions: list };
}
