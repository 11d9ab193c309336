// Synthetic large PBXs for benchmarks, inserted straight into the database (the services' per-write checks are O(n)).
import type { MikroORM } from '@mikro-orm/core';
import {
  AutoAttendantSchema,
  DEFAULT_FEATURE_CODES,
  E911LocationSchema,
  ExtensionSchema,
  HolidaySchema,
  ListenLiveSchema,
  MailboxSchema,
  PbxSchema,
  PhoneNumberSchema,
  RingGroupSchema,
} from '../../src/domain/model';
import { defaultFindMe } from '../../src/domain/rules/extension-rules';

export interface BigPbxShape {
  context: string;
  extensions: number;
  ringGroups: number;
  attendants: number;
  numbers: number;
  /** First digits of this PBX's DIDs (unique across PBXs). */
  didPrefix: string;
}

function chunk<T>(rows: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Inserts one PBX of the given shape; returns its id. Ids are read back so references stay valid. */
export async function insertBigPbx(orm: MikroORM, shape: BigPbxShape): Promise<number> {
  const em = orm.em.fork();
  const pbx = em.create(PbxSchema, {
    context: shape.context,
    name: `Bench ${shape.context}`,
    domain: `${shape.context.replace(/_/g, '-')}.bench.test`,
    pin: '123456',
    timezone: 'America/New_York',
    prepaidPaths: 100,
    onDemandPaths: 10,
    prepaidFaxPaths: 0,
    onDemandFaxPaths: 0,
    callerIdNumber: `${shape.didPrefix}0000`.slice(0, 10),
    callerIdName: 'BENCH',
    areaCode: '212',
    internationalCalling: false,
    directedPickup: true,
    intercom: true,
    sevenDigitDialing: false,
    directoryByFirstName: false,
    readExtensionInDirectory: true,
    parkingTimeout: 600,
    featureCodes: DEFAULT_FEATURE_CODES,
    phoneAdminPassword: 'BenchAdmin1',
    tftpCredentials: false,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
  await em.flush();
  const pbxId = pbx.id;
  em.create(ListenLiveSchema, { pbxId, mode: 'off', password: '', listenerIds: [], listenableIds: [] });
  const dids = Array.from({ length: shape.numbers }, (_, i) => ({
    pbxId,
    number: `${shape.didPrefix}${String(i).padStart(10 - shape.didPrefix.length, '0')}`,
    tollFree: false,
    state: 'NY',
    callerIdName: null,
    showCallerId: true,
    routeTo: { kind: 'hangup' as const },
    ifHoliday: null,
    holdMusicGroupId: null,
    privacyScreening: false,
  }));
  for (const c of chunk(dids)) await em.insertMany(PhoneNumberSchema, c);
  const firstDid = await em.findOneOrFail(PhoneNumberSchema, { pbxId }, { orderBy: { id: 'asc' } });
  const loc = em.create(E911LocationSchema, {
    pbxId,
    name: 'HQ',
    street: '1 Bench Way',
    unit: null,
    city: 'New York',
    state: 'NY',
    zip: '10001',
    callbackNumberId: firstDid.id,
    termsAcceptedAt: new Date('2026-01-01T00:00:00Z'),
  });
  await em.flush();
  const width = String(shape.extensions + 1000).length;
  const numberOf = (i: number) => String(1000 + i).padStart(width, '0');
  const boxes = Array.from({ length: shape.extensions }, (_, i) => ({
    pbxId,
    number: numberOf(i),
    name: `User ${numberOf(i)}`,
    password: '4826',
    unavailableGreetingId: null,
    busyGreetingId: null,
    nameGreetingId: null,
    email: null,
    smsEmail: null,
    dialDuringAnnouncement: false,
    skipInstructions: false,
    announcementOnly: false,
    hideFromDirectory: false,
    retentionDays: 30,
  }));
  for (const c of chunk(boxes)) await em.insertMany(MailboxSchema, c);
  const boxIds = (await em.find(MailboxSchema, { pbxId }, { orderBy: { id: 'asc' }, fields: ['id'] })).map((b) => b.id);
  const exts = boxIds.map((boxId, i) => ({
    pbxId,
    number: numberOf(i),
    name: `User ${numberOf(i)}`,
    outgoingCallerIdNumberId: null,
    e911LocationId: loc.id,
    secondsToRing: 20,
    sipPassword: `BenchSecret${String(i).padStart(6, '0')}`,
    mailboxId: boxId,
    routing: {
      tryFirst: { kind: 'phone' as const },
      ifBusy: { kind: 'mailbox' as const, id: boxId, greeting: 'busy' as const },
      ifNotAnswered: { kind: 'mailbox' as const, id: boxId },
      ifOffline: { kind: 'mailbox' as const, id: boxId },
    },
    findMe: defaultFindMe(),
    mwiMailboxes: [],
    disallowDialByExtension: false,
    disableCallWaiting: false,
    disableMissedCallList: false,
    buddyList: true,
    agentStatusDisplay: false,
    dialHashToTransfer: false,
  }));
  for (const c of chunk(exts)) await em.insertMany(ExtensionSchema, c);
  const extIds = (await em.find(ExtensionSchema, { pbxId }, { orderBy: { id: 'asc' }, fields: ['id'] })).map(
    (e) => e.id,
  );
  const groups = Array.from({ length: shape.ringGroups }, (_, i) => ({
    pbxId,
    name: `Group ${i}`,
    strategy: (i % 2 ? 'sequential' : 'simultaneous') as 'sequential' | 'simultaneous',
    secondsToRing: 20,
    memberIds: [
      extIds[(i * 3) % extIds.length],
      extIds[(i * 3 + 1) % extIds.length],
      extIds[(i * 3 + 2) % extIds.length],
    ],
    afterRing: { kind: 'mailbox' as const, id: boxIds[i % boxIds.length] },
  }));
  for (const c of chunk(groups)) await em.insertMany(RingGroupSchema, c);
  const groupIds = (await em.find(RingGroupSchema, { pbxId }, { orderBy: { id: 'asc' }, fields: ['id'] })).map(
    (g) => g.id,
  );
  const attendants = Array.from({ length: shape.attendants }, (_, i) => ({
    pbxId,
    name: `Menu ${i}`,
    timeoutSec: 10,
    digitTimeoutSec: 3,
    announcement: { source: 'default' as const },
    buttons: {
      '0': { kind: 'extension' as const, id: extIds[i % extIds.length] },
      '1': { kind: 'group' as const, id: groupIds[i % Math.max(1, groupIds.length)] ?? extIds[0] },
      timeout: { kind: 'mailbox' as const, id: boxIds[i % boxIds.length] },
    },
    dialExtensions: true,
  }));
  for (const c of chunk(attendants)) await em.insertMany(AutoAttendantSchema, c);
  const attendantIds = (await em.find(AutoAttendantSchema, { pbxId }, { orderBy: { id: 'asc' }, fields: ['id'] })).map(
    (a) => a.id,
  );
  // Route every DID to an attendant so the public context has real work to do.
  if (attendantIds.length) {
    const numbers = await em.find(PhoneNumberSchema, { pbxId });
    numbers.forEach((n, i) => {
      n.routeTo = { kind: 'auto_attendant', id: attendantIds[i % attendantIds.length] };
    });
  }
  em.create(HolidaySchema, { pbxId, name: 'New Year', date: '2027-01-01' });
  await em.flush();
  return pbxId;
}
