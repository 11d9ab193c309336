// When a time frame is "during hours": its rules evaluated at an instant in the PBX time zone. The same reading the
// generator compiles to FreeSWITCH conditions (freeswitch/generator/flows/time-frames.ts), kept to it by tests that
// run both over many instants and on a real FreeSWITCH: weekday, from ≤ time < to (minutes; all day = the whole
// day), and the date range when the rule has one, all as the wall clock of the zone reads.
import type { TimeRule } from './model';
import { toLocal } from './zoned-time';

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export interface LocalMoment {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

export interface TimeFrameState {
  inside: boolean;
  /** The first rule that matches (index into the rules), or null. */
  rule: number | null;
  local: LocalMoment;
  timezone: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall clock of the zone at an instant. */
export function localMoment(timezone: string, at: number | Date): LocalMoment {
  const ms = typeof at === 'number' ? at : at.getTime();
  const l = toLocal(timezone, ms);
  const date = `${l.year}-${pad(l.month)}-${pad(l.day)}`;
  return {
    date,
    time: `${pad(l.hour)}:${pad(l.minute)}`,
    weekday: new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay(),
  };
}

/** True when the rule covers this local moment. A rule with a date range outside it, or no days, never matches. */
export function ruleCovers(rule: TimeRule, m: LocalMoment): boolean {
  if (!rule.days.includes(m.weekday)) return false;
  if (rule.dateFrom && m.date < rule.dateFrom) return false;
  if (rule.dateTo && m.date > rule.dateTo) return false;
  if (rule.allDay || (rule.from === '00:00' && rule.to === '24:00')) return true;
  return rule.from <= m.time && m.time < rule.to;
}

/** Is it now (or at `at`) inside the time frame whose rules these are, in the PBX's zone? */
export function timeFrameState(rules: readonly TimeRule[], timezone: string, at: number | Date): TimeFrameState {
  const local = localMoment(timezone, at);
  const rule = rules.findIndex((r) => ruleCovers(r, local));
  return { inside: rule >= 0, rule: rule >= 0 ? rule : null, local, timezone };
}

/** "Mon–Fri 09:00–17:00", "Sat all day", "Dec 24 2026 – Jan 2 2027, every day, all day": a rule in words. */
export function describeRule(rule: TimeRule): string {
  const days = describeDays(rule.days);
  const hours = rule.allDay || (rule.from === '00:00' && rule.to === '24:00') ? 'all day' : `${rule.from}–${rule.to}`;
  const dates =
    rule.dateFrom && rule.dateTo
      ? `${rule.dateFrom === rule.dateTo ? rule.dateFrom : `${rule.dateFrom} to ${rule.dateTo}`}, `
      : '';
  return `${dates}${days} ${hours}`;
}

function describeDays(days: readonly number[]): string {
  const set = [...new Set(days)].sort((a, b) => a - b);
  if (set.length === 7) return 'every day';
  const short = (d: number) => (WEEKDAYS[d] ?? '').slice(0, 3);
  // Runs of consecutive days as "Mon–Fri".
  const parts: string[] = [];
  for (let i = 0; i < set.length; ) {
    let j = i;
    while (j + 1 < set.length && (set[j + 1] as number) === (set[j] as number) + 1) j++;
    parts.push(
      j - i >= 2
        ? `${short(set[i] as number)}–${short(set[j] as number)}`
        : set
            .slice(i, j + 1)
            .map(short)
            .join(', '),
    );
    i = j + 1;
  }
  return parts.join(', ');
}
