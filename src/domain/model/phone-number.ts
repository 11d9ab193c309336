// Phone number (DID) and E911 location: inbound routing, caller ID, and the callback number for 911.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { Destination } from '../destination';

export const PhoneNumberSchema = defineEntity({
  name: 'PhoneNumber',
  tableName: 'phone_number',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    /** Digits only: NANP 10 digits or E.164 without '+'. Unique across all PBXs: a DID rings one PBX. */
    number: p.string().length(15).unique(),
    tollFree: p.boolean(),
    state: p.string().length(2).nullable(),
    /** CNAM for outgoing calls from this number; null = PBX default. */
    callerIdName: p.string().length(15).nullable(),
    showCallerId: p.boolean(),
    routeTo: p.json<Destination>(),
    /** null = holidays route like any other day. */
    ifHoliday: p.json<Destination>().nullable(),
    holdMusicGroupId: p.integer().nullable(),
    privacyScreening: p.boolean(),
  },
});
export type PhoneNumber = InferEntity<typeof PhoneNumberSchema>;

export const E911LocationSchema = defineEntity({
  name: 'E911Location',
  tableName: 'e911_location',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    street: p.string().length(100),
    unit: p.string().length(30).nullable(),
    city: p.string().length(50),
    state: p.string().length(2),
    zip: p.string().length(10),
    /** The phone number presented to the PSAP; each number serves one location only. */
    callbackNumberId: p.integer().unique(),
    /** When and by whom the E911 terms were agreed to (the portal user, or null: the operator or before 0008). */
    termsAcceptedAt: p.datetime(),
    termsAcceptedById: p.integer().nullable(),
    /** Who agreed, as the audit log names them, kept when the user is deleted later. */
    termsAcceptedBy: p.string().length(255).nullable(),
  },
});
export type E911Location = InferEntity<typeof E911LocationSchema>;
