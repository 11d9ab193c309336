// View helpers shared by the Activity pages: the query string as flat text, links that keep it, times and durations
// as an office manager reads them (local to the PBX), and the manual's words for call types and results.
import type { Request } from 'express';
import type { ActivityCall } from '../../services/activity/search';

/** Parameters each Activity screen reads; the page, the CSV export and the API take the same names. */
export const SEARCH_PARAMS = ['from', 'to', 'direction', 'extension', 'number'] as const;
export const GRAPH_PARAMS = ['from', 'to', 'by', 'direction'] as const;
export const PATH_PARAMS = ['zoom', 'start'] as const;

/** The query string as flat text for refilling a form (a repeated parameter keeps its first value). */
export function queryValues(req: Request, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const raw = req.query[n];
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (typeof v === 'string' && v.trim() !== '') out[n] = v.trim().slice(0, 60);
  }
  return out;
}

/** A URL with the given non-empty parameters. */
export function withQuery(path: string, values: Record<string, string | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export const DIRECTION_OPTIONS = [
  { value: 'both', label: 'Both' },
  { value: 'incoming', label: 'Incoming' },
  { value: 'outgoing', label: 'Outgoing' },
  { value: 'internal', label: 'Internal (extension to extension)' },
];

const TYPE_LABEL: Record<string, string> = { incoming: 'Incoming', outgoing: 'Outgoing', internal: 'Internal' };

const RESULT_LABEL: Record<string, string> = {
  answered: 'Answered',
  voicemail: 'Voicemail',
  busy: 'Busy',
  no_answer: 'No answer',
  failed: 'Failed',
};

/** `2026-03-08T14:30:05-05:00` → `2026-03-08 14:30:05` (the PBX's wall clock; the offset goes in a title). */
export function localTime(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '';
}

/** Seconds as m:ss or h:mm:ss. */
export function duration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A US/Canada number as people write it: 3125551000 (or +13125551000) → (312) 555-1000; others as stored. */
export function phone(number: string | null): string {
  if (!number) return '';
  const m = /^(?:\+?1)?(\d{3})(\d{3})(\d{4})$/.exec(number);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : number;
}

function party(name: string | null, number: string | null, ext: string | null): string {
  const who = ext ? `Ext. ${ext}` : phone(number);
  return name && name !== who && name !== number ? `${name}, ${who}` : who;
}

/** One row of the Activity table. */
export function callRow(c: ActivityCall, routeText: string | null) {
  return {
    start: localTime(c.start),
    startIso: c.start,
    type: TYPE_LABEL[c.direction] ?? c.direction,
    typeClass: c.direction,
    from: party(c.callerName, c.callerNumber, c.callerExtension),
    to: party(c.calleeName, c.calleeExtension ? null : c.destination, c.calleeExtension),
    phoneNumber: phone(c.phoneNumber),
    duration: duration(c.durationSec),
    result: RESULT_LABEL[c.disposition] ?? c.disposition,
    route: routeText ?? '',
  };
}
