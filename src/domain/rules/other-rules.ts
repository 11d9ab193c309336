// Field rules for conferences, queues, listen live, hold music, call blocks, SIP trunks, devices and the PBX itself.
import {
  BLOCK_DIRECTIONS,
  type CallBlock,
  type ConferenceHub,
  type ConferenceRoom,
  type HoldMusicGroup,
  LISTEN_MODES,
  type ListenLive,
  type Pbx,
  QUEUE_STRATEGIES,
  type Queue,
  type SipTrunk,
  TRANSPORTS,
} from '../model';
import { printable } from '../printable';
import type { PbxSnapshot } from '../snapshot';
import type { Fields } from '../validate';
import { blocks, parseBlockPattern } from './block-patterns';
import { checkDialableNumber } from './extension-rules';
import { type DialNumbers, NO_NUMBERS, parseFeatureCodes } from './feature-codes';

type Data<T> = Omit<T, 'id' | 'pbxId'>;

export function parseConferenceRoom(f: Fields, snap: PbxSnapshot, id: number | null): Data<ConferenceRoom> {
  const number = f.digits('number', { min: 2, max: 6 });
  checkDialableNumber(f, snap, 'number', number, { kind: 'conference', id });
  const musicOnHold = f.bool('musicOnHold', true);
  const holdMusicGroupId = f.optionalId('holdMusicGroupId');
  if (holdMusicGroupId !== null && !snap.holdMusicGroups.some((g) => g.id === holdMusicGroupId))
    f.fail('holdMusicGroupId', 'hold music group does not exist in this PBX');
  return {
    number,
    password: f.optionalDigits('password', 3, 12),
    musicOnHold,
    holdMusicGroupId,
    enterExitSounds: f.bool('enterExitSounds', true),
    announceCount: f.bool('announceCount'),
  };
}

export function parseConferenceHub(f: Fields, snap: PbxSnapshot, id: number | null): Data<ConferenceHub> {
  const name = f.text('name', { max: 50 });
  if (snap.conferenceHubs.some((h) => h.id !== id && h.name.toLowerCase() === name.toLowerCase()))
    f.fail('name', `another conference hub is already named "${printable(name)}"`);
  const number = f.optionalDigits('number', 2, 6);
  if (number) checkDialableNumber(f, snap, 'number', number, { kind: 'conference_hub', id });
  return { name, number };
}

export function parseQueue(f: Fields, snap: PbxSnapshot, id: number | null): Data<Queue> {
  const name = f.text('name', { max: 50 });
  if (snap.queues.some((q) => q.id !== id && q.name.toLowerCase() === name.toLowerCase()))
    f.fail('name', `another queue is already named "${printable(name)}"`);
  const number = f.digits('number', { min: 2, max: 6 });
  checkDialableNumber(f, snap, 'number', number, { kind: 'queue', id });
  const agentIds = f.idList('agentIds', 200);
  for (const a of agentIds)
    if (!snap.extensions.some((e) => e.id === a)) f.fail('agentIds', `extension #${a} does not exist in this PBX`);
  const holdMusicGroupId = f.optionalId('holdMusicGroupId');
  if (holdMusicGroupId !== null && !snap.holdMusicGroups.some((g) => g.id === holdMusicGroupId))
    f.fail('holdMusicGroupId', 'hold music group does not exist in this PBX');
  const maxWaitSec = f.int('maxWaitSec', { min: 10, max: 3600, fallback: 300 });
  const noAgentWaitSec = f.int('noAgentWaitSec', { min: 1, max: 3600, fallback: Math.min(30, maxWaitSec) });
  if (noAgentWaitSec > maxWaitSec && !('maxWaitSec' in f.errors))
    f.fail('noAgentWaitSec', `must be at most the longest wait (${maxWaitSec} seconds)`);
  return {
    name,
    number,
    strategy: f.oneOf('strategy', QUEUE_STRATEGIES, 'longest-idle-agent'),
    agentIds,
    maxWaitSec,
    noAgentWaitSec,
    timeout: f.destination('timeout', 'general', { kind: 'hangup' }),
    holdMusicGroupId,
  };
}

export function parseListenLive(f: Fields, snap: PbxSnapshot): Data<ListenLive> {
  const mode = f.oneOf('mode', LISTEN_MODES, 'off');
  const password = f.digits('password', { min: 3, max: 12, required: mode !== 'off' });
  const listenerIds = f.idList('listenerIds');
  const listenableIds = f.idList('listenableIds');
  for (const [field, ids] of [
    ['listenerIds', listenerIds],
    ['listenableIds', listenableIds],
  ] as const)
    for (const x of ids)
      if (!snap.extensions.some((e) => e.id === x)) f.fail(field, `extension #${x} does not exist in this PBX`);
  return { mode, password, listenerIds, listenableIds };
}

export const TRACK_MAX_BYTES = 10 * 1024 * 1024;
export const HOLD_MUSIC_MAX_BYTES_PER_PBX = 60 * 1024 * 1024;

export function parseHoldMusicGroup(f: Fields, snap: PbxSnapshot, id: number | null): Data<HoldMusicGroup> {
  const name = f.text('name', { max: 50 });
  if (snap.holdMusicGroups.some((g) => g.id !== id && g.name.toLowerCase() === name.toLowerCase()))
    f.fail('name', `another hold music group is already named "${printable(name)}"`);
  const outbound = f.bool('outbound');
  if (outbound && snap.holdMusicGroups.some((g) => g.id !== id && g.outbound))
    f.fail('outbound', 'another group is already used for outbound calling; only one may be');
  const trackIds = f.idList('trackIds', 100);
  for (const t of trackIds) {
    const file = snap.audioFiles.find((a) => a.id === t);
    if (file?.purpose !== 'hold_music')
      f.fail('trackIds', `track #${t} is not an uploaded hold-music file of this PBX`);
    else if (file.sizeBytes > TRACK_MAX_BYTES) f.fail('trackIds', `track #${t} is larger than 10 MB`);
  }
  // The 60 MB counts the distinct tracks the PBX's groups use after this save, so removing tracks is always possible.
  const inUse = new Set(trackIds);
  for (const g of snap.holdMusicGroups) if (g.id !== id) for (const t of g.trackIds) inUse.add(t);
  let total = 0;
  for (const a of snap.audioFiles) if (inUse.has(a.id)) total += a.sizeBytes;
  if (total > HOLD_MUSIC_MAX_BYTES_PER_PBX) f.fail('trackIds', 'hold music of this PBX would exceed 60 MB in total');
  return { name, outbound, trackIds, shuffle: f.bool('shuffle', true) };
}

export function parseCallBlock(f: Fields, snap: PbxSnapshot, id: number | null): Data<CallBlock> {
  const typed = f.string('number');
  const direction = f.oneOf('direction', BLOCK_DIRECTIONS);
  let number = '';
  if (!('number' in f.errors)) {
    const pattern = parseBlockPattern(typed ?? '');
    if (typeof pattern === 'string') f.fail('number', pattern);
    else {
      number = pattern.text;
      if (snap.callBlocks.some((b) => b.id !== id && b.number === number && b.direction === direction))
        f.fail('number', `${printable(number)} is already blocked for ${direction} calls`);
      if (direction === 'outbound' && blocks(pattern, '911')) f.fail('number', '911 can never be blocked');
    }
  }
  return { number, direction, comment: f.optionalText('comment', 200) };
}

export function parseSipTrunk(f: Fields, snap: PbxSnapshot, id: number | null): Data<SipTrunk> {
  const name = f.slug('name', 32);
  if (snap.sipTrunks.some((t) => t.id !== id && t.name === name))
    f.fail('name', `another SIP trunk is already named "${printable(name)}"`);
  const credential = (field: string) => {
    const v = f.raw(field);
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string' || !/^[A-Za-z0-9._@+-]{1,64}$/.test(v))
      f.fail(field, 'must be 1 to 64 of letters, digits and . _ @ + -');
    return String(v);
  };
  const register = f.bool('register');
  const username = credential('username');
  const password = credential('password');
  if (register && (!username || !password)) f.fail('register', 'registration needs a username and password');
  return {
    name,
    host: f.host('host'),
    port: f.int('port', { min: 1, max: 65535, fallback: 5060 }),
    transport: f.oneOf('transport', TRANSPORTS, 'udp'),
    username,
    password,
    register,
    prefix: f.optionalDigits('prefix', 1, 8),
  };
}

/** PBX Info: general info, caller ID defaults and PBX features. */
export function parsePbx(
  f: Fields,
  others: Array<Pick<Pbx, 'id' | 'context' | 'domain'>>,
  id: number | null,
  numbers: DialNumbers = NO_NUMBERS,
): Omit<Pbx, 'id' | 'createdAt' | 'revision'> {
  const context = f.slug('context', 32);
  if (context && others.some((o) => o.id !== id && o.context === context))
    f.fail('context', `PBX context "${printable(context)}" already exists`);
  const domain = f.host('domain');
  if (domain && others.some((o) => o.id !== id && o.domain === domain))
    f.fail('domain', `SIP domain "${printable(domain)}" is already used`);
  if (context === 'public' || context === 'default') f.fail('context', `"${context}" is reserved by FreeSWITCH`);
  const pin = f.digits('pin', { min: 4, max: 12 });
  const adminPw = f.raw('phoneAdminPassword');
  if (typeof adminPw !== 'string' || !/^[A-Za-z0-9]{6,32}$/.test(adminPw))
    f.fail('phoneAdminPassword', 'must be 6 to 32 letters and digits');
  const sevenDigitDialing = f.bool('sevenDigitDialing');
  const areaCode = f.optionalDigits('areaCode', 3, 3);
  if (sevenDigitDialing && !areaCode) f.fail('areaCode', '7-digit dialing needs the PBX area code');
  const featureCodes = parseFeatureCodes(f, numbers);
  return {
    context,
    name: f.text('name', { max: 100 }),
    domain,
    pin,
    timezone: f.timezone('timezone'),
    prepaidPaths: f.int('prepaidPaths', { min: 0, max: 10000, fallback: 2 }),
    onDemandPaths: f.int('onDemandPaths', { min: 0, max: 10000, fallback: 0 }),
    prepaidFaxPaths: f.int('prepaidFaxPaths', { min: 0, max: 1000, fallback: 0 }),
    onDemandFaxPaths: f.int('onDemandFaxPaths', { min: 0, max: 1000, fallback: 0 }),
    callerIdNumber: f.has('callerIdNumber') ? f.phoneNumber('callerIdNumber') : null,
    callerIdName: f.optionalText('callerIdName', 15),
    areaCode,
    internationalCalling: f.bool('internationalCalling'),
    directedPickup: f.bool('directedPickup', true),
    intercom: f.bool('intercom', true),
    sevenDigitDialing,
    directoryByFirstName: f.bool('directoryByFirstName'),
    readExtensionInDirectory: f.bool('readExtensionInDirectory'),
    parkingTimeout: f.int('parkingTimeout', { min: 30, max: 3600, fallback: 600 }),
    featureCodes,
    phoneAdminPassword: typeof adminPw === 'string' ? adminPw : '',
    tftpCredentials: f.bool('tftpCredentials'),
    // A year by default (a year-on-year look at Activity), at most ten.
    callRecordRetentionDays: f.int('callRecordRetentionDays', { min: 1, max: 3650, fallback: 365 }),
  };
}
