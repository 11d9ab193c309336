// Conference rooms (numbered, optional numeric PIN, hold music) and conference hubs (the caller keys a room number).
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const ConferenceRoomSchema = defineEntity({
  name: 'ConferenceRoom',
  tableName: 'conference_room',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    number: p.string().length(6),
    /** Digits only; null = no PIN. */
    password: p.string().length(12).nullable(),
    musicOnHold: p.boolean(),
    /** The hold-music group played while one participant waits; null = the PBX's outbound hold music. */
    holdMusicGroupId: p.integer().nullable(),
    enterExitSounds: p.boolean(),
    announceCount: p.boolean(),
  },
  uniques: [{ properties: ['pbxId', 'number'] }],
});
export type ConferenceRoom = InferEntity<typeof ConferenceRoomSchema>;

export const ConferenceHubSchema = defineEntity({
  name: 'ConferenceHub',
  tableName: 'conference_hub',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    /** Dialable inside the PBX like a room number (null: reached only through routing, e.g. a phone number). */
    number: p.string().length(6).nullable(),
  },
  uniques: [{ properties: ['pbxId', 'name'] }],
});
export type ConferenceHub = InferEntity<typeof ConferenceHubSchema>;
