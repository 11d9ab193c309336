// One source of truth for "where does a call to this number go at this moment": the Call flow page's answer
// (src/domain/call-flow.ts) agrees with the dialplan the generator writes for the same objects — dt_did_<id> (holidays
// first, then route-to) and dt_tf_<id> (during hours, else after hours) — read the way FreeSWITCH 1.10 reads their
// conditions (in order; a time condition with break="on-true" that matches ends the hunt with its actions, else the
// last condition's actions run), over many random rules, holidays and instants in zones with and without DST.
import { expect } from 'chai';
import type { FlowNode } from '../../../src/domain/call-flow';
import { routeAt } from '../../../src/domain/call-flow';
import type { TimeRule } from '../../../src/domain/model';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { localMoment } from '../../../src/domain/time-rules';
import { toLocal } from '../../../src/domain/zoned-time';
import { flowFiles } from '../../../src/freeswitch/generator/flows';
import { renderDocument } from '../../../src/freeswitch/generator/xml';
import { SYSTEM } from '../../../src/services/actor';
import { ENGINES } from '../../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../../helpers/services';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const numberMatches = (exp: string, value: number) =>
  exp.split(',').some((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? value === a : value >= (a as number) && value <= b;
  });

function todMatches(exp: string, seconds: number): boolean {
  const secs = (t: string) => {
    const [h, m, s] = t.split(':').map(Number);
    return (h as number) * 3600 + (m as number) * 60 + (s ?? 0);
  };
  const [from, to] = exp.split('-') as [string, string];
  return seconds >= secs(from) && seconds <= secs(to);
}

/** A condition's date/time attributes at an instant, as switch_xml_std_datetime_check evaluates them in the zone. */
function timeMatches(attrs: Record<string, string>, zone: string, ms: number): boolean {
  const l = toLocal(zone, ms);
  const weekday = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  const yday = (Date.UTC(l.year, l.month - 1, l.day) - Date.UTC(l.year, 0, 1)) / 86_400_000 + 1;
  const checks: Record<string, (exp: string) => boolean> = {
    wday: (exp) => exp.split(',').includes(DAY_NAMES[weekday] as string),
    'time-of-day': (exp) => todMatches(exp, l.hour * 3600 + l.minute * 60 + l.second),
    year: (exp) => numberMatches(exp, l.year),
    yday: (exp) => numberMatches(exp, yday),
    mon: (exp) => numberMatches(exp, l.month),
    mday: (exp) => numberMatches(exp, l.day),
  };
  return Object.entries(attrs).every(([k, v]) => checks[k]?.(v) ?? true);
}

/** Where the generated extension `name` sends the call at `ms`: the data of the transfer it runs. */
function generatedTarget(xml: string, name: string, zone: string, ms: number): string {
  const ext = new RegExp(`<extension name="${name}"[^>]*>([\\s\\S]*?)</extension>`).exec(xml)?.[1];
  if (!ext) throw new Error(`no extension ${name}`);
  const conditions = [...ext.matchAll(/<condition([^>]*?)(?:\/>|>([\s\S]*?)<\/condition>)/g)].map((m) => ({
    attrs: Object.fromEntries([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
    body: m[2] ?? '',
  }));
  const transfer = (body: string) => /application="transfer" data="([^ "]+)/.exec(body)?.[1] ?? 'none';
  for (const c of conditions) {
    if ('field' in c.attrs) continue;
    const { break: _b, ...time } = c.attrs as Record<string, string>;
    if (timeMatches(time, zone, ms)) return transfer(c.body);
  }
  return transfer(conditions[conditions.length - 1]?.body ?? '');
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function randomRule(r: () => number, around: number): TimeRule {
  const days = [0, 1, 2, 3, 4, 5, 6].filter(() => r() < 0.5);
  if (!days.length) days.push(Math.floor(r() * 7));
  const allDay = r() < 0.2;
  const start = Math.floor(r() * 23 * 60);
  const end = start + 1 + Math.floor(r() * (24 * 60 - start - 1));
  const rule: TimeRule = { days, allDay, from: allDay ? '00:00' : hhmm(start), to: allDay ? '24:00' : hhmm(end) };
  if (r() < 0.4) {
    const first = around - Math.floor(r() * 20) * 86_400_000;
    Object.assign(rule, { dateFrom: iso(first), dateTo: iso(first + Math.floor(r() * 40) * 86_400_000) });
  }
  return rule;
}

/** The entry point a flow node stands for, as compileDestination names it. */
function entryOf(snap: PbxSnapshot, n: FlowNode | undefined): string {
  if (!n?.ref) return 'none';
  if (n.ref.kind === 'extension') return snap.extensions.find((e) => e.id === n.ref?.id)?.number ?? '?';
  if (n.ref.kind === 'mailbox') return `dt_vm_${n.ref.id}`;
  if (n.ref.kind === 'time_frame') return `dt_tf_${n.ref.id}`;
  return `${n.ref.kind}:${n.ref.id}`;
}

describe('call flow: the domain answer agrees with the generated dialplan', function () {
  this.timeout(120_000);
  let w: TestWorld;
  let base: PbxSnapshot;
  let numberId: number;
  let tfId: number;

  before(async () => {
    w = await openWorld(ENGINES[0]);
    const acme = await makePbx(w.services, 'acme');
    const o = w.services.objects;
    const p = acme.pbx.id;
    const tf = await o.create(SYSTEM, p, 'time-frames', {
      name: 'Hours',
      rules: [{ days: [1], from: '09:00', to: '17:00' }],
      during: `extension:${acme.ext['201'].id}`,
      after: `mailbox:${acme.ext['202'].mailboxId}`,
    });
    await o.create(SYSTEM, p, 'holidays', { name: 'Day', date: '2026-12-25' });
    await o.update(SYSTEM, p, 'numbers', acme.numberId, {
      routeTo: `time_frame:${tf.id}`,
      ifHoliday: `mailbox:${acme.ext['201'].mailboxId}`,
    });
    base = await w.services.snapshot(p);
    numberId = acme.numberId;
    tfId = tf.id as number;
  });
  after(async () => w?.close());

  for (const zone of ['America/Chicago', 'Europe/Berlin', 'Australia/Sydney', 'UTC']) {
    it(`picks the same branch as FreeSWITCH would in ${zone}`, () => {
      const r = random(zone.length * 7919);
      let holidays = 0;
      let during = 0;
      for (let i = 0; i < 150; i++) {
        const ms = Date.UTC(2026, 0, 1) + Math.floor(r() * 730 * 24 * 60) * 60_000;
        const snap: PbxSnapshot = structuredClone(base);
        snap.pbx.timezone = zone;
        const tf = snap.timeFrames.find((t) => t.id === tfId);
        if (!tf) throw new Error('time frame missing');
        tf.rules = Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomRule(r, ms));
        // Holidays near the instant, so some calls land on one (local dates, as the PBX's calendar names them).
        const today = localMoment(zone, ms).date;
        snap.holidays = Array.from({ length: Math.floor(r() * 3) }, (_, k) => {
          // Single days and ranges (a range may start before today and end on or after it, or miss it).
          const start =
            Date.parse(`${today}T00:00:00Z`) +
            (r() < 0.5 ? 0 : (k + 1) * 86_400_000) -
            (r() < 0.3 ? 2 * 86_400_000 : 0);
          return {
            id: 100 + k,
            pbxId: snap.pbx.id,
            name: `H${k}`,
            date: iso(start),
            endDate: r() < 0.4 ? iso(start + Math.floor(1 + r() * 3) * 86_400_000) : null,
          };
        });
        const xml = renderDocument('dialplan', (section) => {
          const ctx = section.ele('context', { name: snap.pbx.context });
          for (const f of flowFiles(snap)) if (/_(did|tf)_/.test(f.path)) f.build(ctx);
        });
        const route = routeAt(snap, { kind: 'phone_number', id: numberId }, localMoment(zone, ms));
        const first = entryOf(snap, route[1]?.node);
        expect(first, `${zone} ${new Date(ms).toISOString()} holidays ${JSON.stringify(snap.holidays)}`).to.equal(
          generatedTarget(xml, `dt_did_${numberId}`, zone, ms),
        );
        if (route[1]?.via === 'On a holiday') holidays++;
        else {
          const second = entryOf(snap, route[2]?.node);
          expect(second, `${zone} ${new Date(ms).toISOString()} ${JSON.stringify(tf.rules)}`).to.equal(
            generatedTarget(xml, `dt_tf_${tfId}`, zone, ms),
          );
          if (route[2]?.via === 'During hours') during++;
        }
      }
      // The sample covers every branch.
      expect(holidays).to.be.greaterThan(5);
      expect(during).to.be.greaterThan(5);
    });
  }
});
