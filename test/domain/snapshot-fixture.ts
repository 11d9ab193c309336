// Hand-built PbxSnapshots for the pure rule tests: only the fields the rules read, typed loosely on purpose.
import { DEFAULT_FEATURE_CODES, type Pbx } from '../../src/domain/model';
import type { PbxSnapshot } from '../../src/domain/snapshot';

export function pbxRow(over: Partial<Pbx> = {}): Pbx {
  return {
    id: 1,
    context: 'acme',
    name: 'Acme',
    domain: 'acme.pbx.local',
    pin: '123456',
    timezone: 'America/Chicago',
    prepaidPaths: 2,
    onDemandPaths: 0,
    prepaidFaxPaths: 0,
    onDemandFaxPaths: 0,
    callerIdNumber: null,
    callerIdName: null,
    areaCode: null,
    internationalCalling: false,
    directedPickup: true,
    intercom: true,
    sevenDigitDialing: false,
    directoryByFirstName: false,
    readExtensionInDirectory: false,
    parkingTimeout: 600,
    featureCodes: { ...DEFAULT_FEATURE_CODES },
    phoneAdminPassword: 'admin12345',
    tftpCredentials: false,
    createdAt: new Date(0),
    ...over,
  } as Pbx;
}

/** An empty PBX; pass lists to fill it. Rows are cast: tests give only what the rule under test reads. */
export function snapshot(lists: Partial<Record<keyof PbxSnapshot, unknown>> = {}): PbxSnapshot {
  return {
    pbx: pbxRow(),
    extensions: [],
    mailboxes: [],
    phoneNumbers: [],
    e911Locations: [],
    autoAttendants: [],
    timeFrames: [],
    holidays: [],
    ringGroups: [],
    conferenceRooms: [],
    conferenceHubs: [],
    queues: [],
    listenLive: null,
    holdMusicGroups: [],
    audioFiles: [],
    callBlocks: [],
    sipTrunks: [],
    devices: [],
    users: [],
    ...lists,
  } as PbxSnapshot;
}

/** An extension row with phone routing and no Find Me locations. */
export function ext(id: number, number: string, over: Record<string, unknown> = {}) {
  return {
    id,
    number,
    name: `Ext ${number}`,
    mailboxId: null,
    e911LocationId: 1,
    outgoingCallerIdNumberId: null,
    routing: {
      tryFirst: { kind: 'phone' },
      ifBusy: { kind: 'hangup' },
      ifNotAnswered: { kind: 'hangup' },
      ifOffline: { kind: 'hangup' },
    },
    findMe: { locations: [], fallback: { kind: 'check_voicemail' } },
    mwiMailboxes: [],
    ...over,
  };
}
