// Call-flow objects: auto attendants, time frames, holidays and ring groups.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { Destination } from '../destination';

export const ATTENDANT_KEYS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'timeout',
  'invalid',
] as const;
export type AttendantKey = (typeof ATTENDANT_KEYS)[number];

export type Announcement =
  | { source: 'default' }
  | { source: 'audio'; audioId: number } // uploaded, or recorded by phone at *323
  | { source: 'mailbox'; mailboxId: number }; // legacy: a mailbox's unavailable greeting

export const AutoAttendantSchema = defineEntity({
  name: 'AutoAttendant',
  tableName: 'auto_attendant',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    timeoutSec: p.integer(),
    digitTimeoutSec: p.integer(),
    announcement: p.json<Announcement>(),
    /**
     * Key -> destination; missing keys do nothing. `timeout` is taken when the caller presses nothing, `invalid` when
     * they key something no button or extension answers (without it the menu says so and asks again, three times).
     */
    buttons: p.json<Partial<Record<AttendantKey, Destination>>>(),
    /** Callers may dial any extension that allows it (not disallowDialByExtension). */
    dialExtensions: p.boolean(),
  },
  uniques: [{ properties: ['pbxId', 'name'] }],
});
export type AutoAttendant = InferEntity<typeof AutoAttendantSchema>;

/**
 * days: 0 = Sunday … 6 = Saturday; times HH:MM in the PBX time zone, `to` exclusive. With dateFrom/dateTo
 * (YYYY-MM-DD, both included) the rule applies only on those dates: a date range ("Dec 24 to Jan 2, all day") or
 * seasonal hours ("Mon–Fri 10:00–16:00 from Jul 1 to Aug 31"). Rules saved before date ranges have neither field.
 */
export interface TimeRule {
  days: number[];
  allDay: boolean;
  from: string;
  to: string;
  dateFrom?: string | null;
  dateTo?: string | null;
}

export const TimeFrameSchema = defineEntity({
  name: 'TimeFrame',
  tableName: 'time_frame',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    rules: p.json<TimeRule[]>(),
    during: p.json<Destination>(),
    after: p.json<Destination>(),
  },
  uniques: [{ properties: ['pbxId', 'name'] }],
});
export type TimeFrame = InferEntity<typeof TimeFrameSchema>;

export const HolidaySchema = defineEntity({
  name: 'Holiday',
  tableName: 'holiday',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    /** YYYY-MM-DD, a whole day in the PBX time zone: the (first) day of the holiday. */
    date: p.string().length(10),
    /** Last day of a holiday of several days (YYYY-MM-DD, after `date`); null for a single day. */
    endDate: p.string().length(10).nullable(),
  },
  uniques: [{ properties: ['pbxId', 'date'] }],
});
export type Holiday = InferEntity<typeof HolidaySchema>;

export const RING_STRATEGIES = ['simultaneous', 'sequential'] as const;
export type RingStrategy = (typeof RING_STRATEGIES)[number];

export const RingGroupSchema = defineEntity({
  name: 'RingGroup',
  tableName: 'ring_group',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    name: p.string().length(50),
    strategy: p.string().length(16).$type<RingStrategy>(),
    secondsToRing: p.integer(),
    /** Extension ids in ring order. */
    memberIds: p.json<number[]>(),
    afterRing: p.json<Destination>(),
  },
  uniques: [{ properties: ['pbxId', 'name'] }],
});
export type RingGroup = InferEntity<typeof RingGroupSchema>;
