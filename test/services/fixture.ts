// Two PBXs (A and B) built through the services, plus a valid input for every kind, for the rule and hostile suites.
import { AudioFileSchema } from '../../src/domain/model';
import type { Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';
import type { Engine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';

type Input = Record<string, unknown>;
export type MadePbx = Awaited<ReturnType<typeof makePbx>>;

export interface Fixture {
  w: TestWorld;
  s: Services;
  a: MadePbx;
  b: MadePbx;
  /** Ids of the extra objects made in A (and one group in B) that rule cases point at. */
  ids: { conference: number; queue: number; attendant: number; music: number; musicB: number; groupB: number };
  /** Deterministic counter for unique numbers and names. */
  next(): number;
  pbxIds: number[];
}

export async function openFixture(engine: Engine): Promise<Fixture> {
  const w = await openWorld(engine);
  const s = w.services;
  const a = await makePbx(s, 'pbx_a');
  const b = await makePbx(s, 'pbx_b');
  const o = s.objects;
  const conference = await o.create(SYSTEM, a.pbx.id, 'conferences', { number: '800' });
  const queue = await o.create(SYSTEM, a.pbx.id, 'queues', { name: 'Billing', number: '600' });
  const attendant = await o.create(SYSTEM, a.pbx.id, 'attendants', { name: 'Menu' });
  const music = await o.create(SYSTEM, a.pbx.id, 'hold-music', { name: 'Jazz' });
  const musicB = await o.create(SYSTEM, b.pbx.id, 'hold-music', { name: 'Jazz' });
  const groupB = await o.create(SYSTEM, b.pbx.id, 'groups', { name: 'B team', memberIds: [b.ext['201'].id] });
  let n = 1;
  return {
    w,
    s,
    a,
    b,
    ids: {
      conference: conference.id as number,
      queue: queue.id as number,
      attendant: attendant.id as number,
      music: music.id as number,
      musicB: musicB.id as number,
      groupB: groupB.id as number,
    },
    next: () => n++,
    pbxIds: [a.pbx.id, b.pbx.id],
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A fresh phone number in the PBX (for E911 callbacks). */
export async function newNumber(fx: Fixture, pbx: MadePbx = fx.a): Promise<number> {
  const row = await fx.s.objects.create(SYSTEM, pbx.pbx.id, 'numbers', {
    number: `31277${pad(fx.next(), 5)}`,
    routeTo: 'hangup',
  });
  return row.id as number;
}

/** A valid create input for each kind, unique in its PBX (and across PBXs where that matters). */
export async function validInput(kind: string, fx: Fixture, pbx: MadePbx = fx.a): Promise<Input> {
  const n = fx.next();
  switch (kind) {
    case 'extensions':
      return { number: String(3000 + n), name: `Ext ${n}`, e911LocationId: pbx.locationId };
    case 'mailboxes':
      return { number: String(5000 + n), name: `Box ${n}`, password: '2580' };
    case 'numbers':
      return { number: `31266${pad(n, 5)}`, routeTo: 'hangup' };
    case 'e911':
      return {
        name: `Site ${n}`,
        street: '1 Main St',
        city: 'Chicago',
        state: 'IL',
        zip: '60601',
        callbackNumberId: await newNumber(fx, pbx),
        termsAccepted: true,
      };
    case 'attendants':
      return { name: `Menu ${n}` };
    case 'time-frames':
      return {
        name: `Hours ${n}`,
        rules: [{ days: [1, 2], from: '09:00', to: '17:00' }],
        during: 'hangup',
        after: 'hangup',
      };
    case 'holidays':
      return { name: `Day ${n}`, date: new Date(Date.UTC(2031, 0, 1) + n * 86_400_000).toISOString().slice(0, 10) };
    case 'groups':
      return { name: `Group ${n}`, memberIds: [pbx.ext['201'].id] };
    case 'conferences':
      return { number: String(8000 + n) };
    case 'conference-hubs':
      return { name: `Hub ${n}` };
    case 'queues':
      return { name: `Queue ${n}`, number: String(6000 + n) };
    case 'hold-music':
      return { name: `Music ${n}` };
    case 'call-blocks':
      return { number: `800555${pad(n, 4)}`, direction: 'inbound' };
    case 'trunks':
      return { name: `trunk_${n}`, host: 'sip.example.com' };
    default:
      throw new Error(`no valid input for ${kind}`);
  }
}

/** Creates through the service as the operator; extensions get the generated SIP password a real caller supplies. */
export function create(fx: Fixture, kind: string, input: Input, pbx: MadePbx = fx.a) {
  const extra = kind === 'extensions' ? { sipPassword: 'Generated1234567' } : {};
  return fx.s.objects.create(SYSTEM, pbx.pbx.id, kind, input, extra);
}

/** Inserts an uploaded audio file row directly (uploads are another service's job). */
export async function insertAudio(
  fx: Fixture,
  pbx: MadePbx,
  sizeBytes: number,
  purpose: 'greeting' | 'announcement' | 'hold_music' = 'hold_music',
): Promise<number> {
  const em = fx.s.orm.em.fork();
  const n = fx.next();
  const row = em.create(AudioFileSchema, {
    pbxId: pbx.pbx.id,
    purpose,
    storedName: `audio-${n}.mp3`,
    originalName: `track ${n}.mp3`,
    format: 'mp3',
    sizeBytes,
    sha256: pad(n, 64),
    createdAt: new Date(0),
  });
  await em.flush();
  return row.id;
}
