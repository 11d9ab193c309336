// Wall-clock date and time in a PBX's time zone (voicemail lists, phone screens), with one formatter per zone.

export interface LocalTime {
  /** YYYY-MM-DD */
  readonly date: string;
  /** HH:MM, 24-hour */
  readonly time: string;
  /** Mon … Sun */
  readonly weekday: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
      });
    } catch {
      // A zone the runtime does not know (validated on save, so a hand-edited row): UTC rather than a crash.
      return formatter('UTC');
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minute -> LocalTime per zone: formatToParts costs ~10 µs, and a phone's message list asks for the same minutes again
 * and again (each message's time, "today"). Zone offsets are whole minutes, so the minute decides the answer. */
const byMinute = new Map<string, Map<number, LocalTime>>();
let remembered = 0;

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const minute = Math.floor(epochMs / 60_000);
  let zone = byMinute.get(timeZone);
  const hit = zone?.get(minute);
  if (hit) return hit;
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(minute * 60_000)) parts[p.type] = p.value;
  const t: LocalTime = Object.freeze({
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday ?? '',
  });
  // Bounded: a long-running process forgets and fills again.
  if (remembered >= 100_000) {
    byMinute.clear();
    remembered = 0;
  }
  if (!zone) {
    zone = new Map();
    byMinute.set(timeZone, zone);
  }
  zone.set(minute, t);
  remembered++;
  return t;
}
