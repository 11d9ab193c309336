// Voice mailbox: password, greetings, notifications and the advanced settings of the manual.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const MailboxSchema = defineEntity({
  name: 'Mailbox',
  tableName: 'mailbox',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    number: p.string().length(6),
    name: p.string().length(50),
    password: p.string().length(12),
    unavailableGreetingId: p.integer().nullable(),
    busyGreetingId: p.integer().nullable(),
    nameGreetingId: p.integer().nullable(),
    email: p.string().length(254).nullable(),
    smsEmail: p.string().length(254).nullable(),
    /** Delete the message from the mailbox once it was mailed (with its WAV) to Email to Notify. */
    deleteAfterEmail: p.boolean().default(false),
    dialDuringAnnouncement: p.boolean(),
    skipInstructions: p.boolean(),
    announcementOnly: p.boolean(),
    hideFromDirectory: p.boolean(),
    retentionDays: p.integer(),
  },
  uniques: [{ properties: ['pbxId', 'number'] }],
});
export type Mailbox = InferEntity<typeof MailboxSchema>;
