// Loads one PBX as a PbxSnapshot of plain objects (what rules check and generators read).
import type { EntityManager } from '@mikro-orm/core';
import { NotFoundError } from '../domain/errors';
import {
  AudioFileSchema,
  AutoAttendantSchema,
  CallBlockSchema,
  ConferenceHubSchema,
  ConferenceRoomSchema,
  DeviceSchema,
  E911LocationSchema,
  ExtensionSchema,
  HoldMusicGroupSchema,
  HolidaySchema,
  ListenLiveSchema,
  MailboxSchema,
  PbxSchema,
  PhoneNumberSchema,
  PortalUserSchema,
  QueueSchema,
  RingGroupSchema,
  SipTrunkSchema,
  TimeFrameSchema,
} from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';

const byId = { orderBy: { id: 'asc' as const } };

/** Reads every table of the PBX. Entities are returned as loaded (treat them as read-only data). */
export async function loadSnapshot(em: EntityManager, pbxId: number): Promise<PbxSnapshot> {
  const pbx = await em.findOne(PbxSchema, { id: pbxId });
  if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
  const where = { pbxId };
  // Sequential on purpose: inside a transaction PostgreSQL has one connection, and pg refuses overlapping queries.
  const extensions = await em.find(ExtensionSchema, where, byId);
  const mailboxes = await em.find(MailboxSchema, where, byId);
  const phoneNumbers = await em.find(PhoneNumberSchema, where, byId);
  const e911Locations = await em.find(E911LocationSchema, where, byId);
  const autoAttendants = await em.find(AutoAttendantSchema, where, byId);
  const timeFrames = await em.find(TimeFrameSchema, where, byId);
  const holidays = await em.find(HolidaySchema, where, byId);
  const ringGroups = await em.find(RingGroupSchema, where, byId);
  const conferenceRooms = await em.find(ConferenceRoomSchema, where, byId);
  const conferenceHubs = await em.find(ConferenceHubSchema, where, byId);
  const queues = await em.find(QueueSchema, where, byId);
  const listenLive = await em.findOne(ListenLiveSchema, where);
  const holdMusicGroups = await em.find(HoldMusicGroupSchema, where, byId);
  const audioFiles = await em.find(AudioFileSchema, where, byId);
  const callBlocks = await em.find(CallBlockSchema, where, byId);
  const sipTrunks = await em.find(SipTrunkSchema, where, byId);
  const devices = await em.find(DeviceSchema, where, byId);
  const users = await em.find(PortalUserSchema, where, byId);
  return {
    pbx,
    extensions,
    mailboxes,
    phoneNumbers,
    e911Locations,
    autoAttendants,
    timeFrames,
    holidays,
    ringGroups,
    conferenceRooms,
    conferenceHubs,
    queues,
    listenLive,
    holdMusicGroups,
    audioFiles,
    callBlocks,
    sipTrunks,
    devices,
    users,
  };
}
