// timezones.conf: IANA zone -> POSIX TZ rule for every zone a PBX uses. FreeSWITCH resolves the `timezone` variable
// (set by each time-dependent dialplan entry) through this list; a missing zone silently compares against a wrong clock.
import type { PbxSnapshot } from '../../domain/snapshot';
import { type DstTransition, zoneRule } from '../../provisioning/render/time-zone';
import type { ConfSection } from './xml';

/** Offset east of UTC in minutes -> POSIX offset (west positive), e.g. -300 -> "5", 330 -> "-5:30". */
function posixOffset(eastMinutes: number): string {
  const west = -eastMinutes;
  const sign = west < 0 ? '-' : '';
  const abs = Math.abs(west);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

function posixRule(t: DstTransition): string {
  return `M${t.month}.${t.week}.${t.weekday}/${t.hour}`;
}

/**
 * POSIX TZ string for a zone, as of `year`. Zone abbreviations are generic ("STD"/"DST"): FreeSWITCH only uses the
 * offsets and rules, and generic letters avoid the angle-bracket names older tz parsers reject.
 */
export function posixTz(timeZone: string, year: number): string {
  const rule = zoneRule(timeZone, year);
  const std = `STD${posixOffset(rule.standardOffsetMinutes)}`;
  if (!rule.dst) return std;
  const save = rule.dst.saveMinutes === 60 ? '' : posixOffset(rule.standardOffsetMinutes + rule.dst.saveMinutes);
  return `${std}DST${save},${posixRule(rule.dst.start)},${posixRule(rule.dst.end)}`;
}

export function timezonesConf(snaps: PbxSnapshot[], year: number): ConfSection {
  const zones = [...new Set(['UTC', ...snaps.map((s) => s.pbx.timezone)])].sort();
  return {
    name: 'timezones.conf',
    description: 'Timezones',
    build: (parent) => {
      const list = parent.ele('timezones');
      for (const z of zones) list.ele('zone', { name: z, value: posixTz(z, year) });
    },
  };
}
