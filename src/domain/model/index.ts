// Every entity of the PBX model, in one list for the ORM and the migrations.

import { ApiTokenSchema } from './api-token';
import { AuditEntrySchema } from './audit';
import { CallRecordSchema, JobRunSchema } from './call-record';
import { ConferenceHubSchema, ConferenceRoomSchema } from './conference';
import { DeviceSchema } from './device';
import { ExtensionSchema } from './extension';
import { MailboxSchema } from './mailbox';
import { AudioFileSchema, HoldMusicGroupSchema } from './media';
import { PbxSchema } from './pbx';
import { PbxChangeSchema } from './pbx-change';
import { E911LocationSchema, PhoneNumberSchema } from './phone-number';
import { PortalSessionSchema, PortalUserSchema } from './portal-user';
import { ListenLiveSchema, QueueSchema } from './queue';
import { AutoAttendantSchema, HolidaySchema, RingGroupSchema, TimeFrameSchema } from './routing';
import { CallBlockSchema, SipTrunkSchema } from './trunk-block';

export * from './api-token';
export * from './audit';
export * from './call-record';
export * from './conference';
export * from './device';
export * from './extension';
export * from './mailbox';
export * from './media';
export * from './pbx';
export * from './pbx-change';
export * from './phone-number';
export * from './portal-user';
export * from './queue';
export * from './routing';
export * from './trunk-block';

export const ENTITIES = [
  PbxSchema,
  PortalUserSchema,
  ExtensionSchema,
  MailboxSchema,
  PhoneNumberSchema,
  E911LocationSchema,
  AutoAttendantSchema,
  TimeFrameSchema,
  HolidaySchema,
  RingGroupSchema,
  ConferenceRoomSchema,
  ConferenceHubSchema,
  QueueSchema,
  ListenLiveSchema,
  AudioFileSchema,
  HoldMusicGroupSchema,
  CallBlockSchema,
  SipTrunkSchema,
  DeviceSchema,
  CallRecordSchema,
  JobRunSchema,
  PortalSessionSchema,
  AuditEntrySchema,
  ApiTokenSchema,
  PbxChangeSchema,
];
