// Every user-typed field of every object, the PBX, Listen Live and users, tried with every hostile value, on create
// and on update: each gives a ValidationError naming the field (never a TypeError or a database error), and nothing
// stored in either PBX changes. Names accept unicode; optional fields accept empty and null as "none".
import { expect } from 'chai';
import { ValidationError } from '../../src/domain/errors';
import { SYSTEM } from '../../src/services/actor';
import { HOSTILE_TEXT, UNICODE_NAME, WRONG_SHAPES } from '../domain/hostile-values';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, openFixture, validInput } from './fixture';
import { expectInvalid, rejection, stored } from './support';

type Input = Record<string, unknown>;

/**
 * name: printable text (unicode accepted); digits/int/id/...: typed values of that shape.
 * `countOk`: a plain JSON number can be a valid value (digits, whole numbers, ids), so 42 is not hostile there.
 */
type FieldType =
  | 'name'
  | 'digits'
  | 'int'
  | 'id'
  | 'ids'
  | 'phone'
  | 'dest'
  | 'email'
  | 'slug'
  | 'host'
  | 'choice'
  | 'time'
  | 'date'
  | 'zone'
  | 'code'
  | 'text';
const COUNT_OK: FieldType[] = ['digits', 'int', 'id'];

interface Spec {
  kind: string;
  field: string;
  type: FieldType;
  /** What '' and null do: refused (required), or accepted as none/default. */
  blank: 'required' | 'optional';
  /** A valid value, to build the "valid value inside an array" case. */
  valid: unknown;
  /** The input carrying the value; defaults to { [field]: v }. */
  set?: (v: unknown) => Input;
  /** Only one of the two modes applies (users are created, Listen Live is only updated). */
  only?: 'create' | 'update';
  /** A unicode name and how it is stored, where the field normalises (E911 addresses: plain upper-case letters). */
  unicode?: { input: string; stored: string };
}

const f = (
  kind: string,
  field: string,
  type: FieldType,
  blank: Spec['blank'],
  valid: unknown | ((fx: Fixture) => unknown),
  more: Partial<Spec> = {},
): Spec => ({ kind, field, type, blank, valid, ...more });
const R = 'required' as const;
const O = 'optional' as const;

const FIELDS: Spec[] = [
  f('extensions', 'number', 'digits', R, '4100'),
  f('extensions', 'name', 'name', R, 'Ann'),
  f('extensions', 'secondsToRing', 'int', O, 30),
  f('extensions', 'e911LocationId', 'id', R, (fx: Fixture) => fx.a.locationId),
  f('extensions', 'mailboxId', 'id', O, (fx: Fixture) => fx.a.ext['201'].mailboxId),
  f('extensions', 'outgoingCallerIdNumberId', 'id', O, (fx: Fixture) => fx.a.numberId),
  f('extensions', 'mwiMailboxes', 'ids', O, ['201']),
  f('extensions', 'routing.tryFirst', 'dest', O, 'hangup', { set: (v) => ({ routing: { tryFirst: v } }) }),
  f('extensions', 'routing.ifOffline', 'dest', O, 'hangup', { set: (v) => ({ routing: { ifOffline: v } }) }),
  f('extensions', 'findMe.ringSeconds', 'int', O, 30, { set: (v) => ({ findMe: { ringSeconds: v } }) }),
  f('extensions', 'findMe.activeFrom', 'time', O, '08:00', { set: (v) => ({ findMe: { activeFrom: v } }) }),
  f('extensions', 'findMe.fallback', 'dest', O, 'hangup', { set: (v) => ({ findMe: { fallback: v } }) }),
  f('extensions', 'findMe.locations.1.number', 'phone', R, '3125550199', {
    set: (v) => ({ findMe: { locations: [{ type: 'outside_number', number: v }] } }),
  }),
  f('mailboxes', 'number', 'digits', R, '4200'),
  f('mailboxes', 'name', 'name', R, 'Ann'),
  f('mailboxes', 'password', 'digits', R, '2468'),
  f('mailboxes', 'retentionDays', 'int', O, 30),
  f('mailboxes', 'email', 'email', O, 'a@example.com'),
  f('mailboxes', 'smsEmail', 'email', O, 'a@example.com'),
  f('mailboxes', 'unavailableGreetingId', 'id', O, null),
  f('numbers', 'number', 'phone', R, '3126990001'),
  f('numbers', 'callerIdName', 'name', O, 'ACME'),
  f('numbers', 'state', 'text', O, 'IL'),
  f('numbers', 'routeTo', 'dest', R, 'hangup'),
  f('numbers', 'ifHoliday', 'dest', O, 'hangup'),
  f('numbers', 'holdMusicGroupId', 'id', O, (fx: Fixture) => fx.ids.music),
  f('e911', 'name', 'name', R, 'Branch'),
  // E911 addresses are stored as emergency services' databases hold them (e911-address.ts): accents dropped, upper case.
  f('e911', 'street', 'name', R, '2 Main St', { unicode: { input: '1 Zoë Ñandú St', stored: '1 ZOE NANDU ST' } }),
  f('e911', 'unit', 'name', O, 'Suite 4', { unicode: { input: 'Zoë Ñandú', stored: 'ZOE NANDU' } }),
  f('e911', 'city', 'name', R, 'Chicago', { unicode: { input: 'Zoë Ñandú', stored: 'ZOE NANDU' } }),
  f('e911', 'state', 'text', R, 'IL'),
  f('e911', 'zip', 'text', R, '60601'),
  f('e911', 'callbackNumberId', 'id', R, null),
  f('attendants', 'name', 'name', R, 'Main'),
  f('attendants', 'timeoutSec', 'int', O, 10),
  f('attendants', 'digitTimeoutSec', 'int', O, 3),
  f('attendants', 'buttons.1', 'dest', O, 'hangup', { set: (v) => ({ buttons: { '1': v } }) }),
  f('time-frames', 'name', 'name', R, 'Hours'),
  f('time-frames', 'rules.1.from', 'time', O, '09:00', { set: (v) => ({ rules: [{ days: [1], from: v }] }) }),
  f('time-frames', 'during', 'dest', R, 'hangup'),
  f('time-frames', 'after', 'dest', R, 'hangup'),
  f('holidays', 'name', 'name', R, 'Day off'),
  f('holidays', 'date', 'date', R, '2032-01-02'),
  f('holidays', 'endDate', 'date', O, '2032-01-03'),
  f('groups', 'name', 'name', R, 'Sales'),
  f('groups', 'secondsToRing', 'int', O, 30),
  f('groups', 'afterRing', 'dest', O, 'hangup'),
  f('groups', 'memberIds', 'ids', R, (fx: Fixture) => [fx.a.ext['201'].id]),
  f('groups', 'strategy', 'choice', O, 'sequential'),
  f('conferences', 'number', 'digits', R, '4800'),
  f('conferences', 'password', 'digits', O, '2468'),
  f('conference-hubs', 'name', 'name', R, 'Bridge'),
  f('queues', 'name', 'name', R, 'Support'),
  f('queues', 'number', 'digits', R, '4600'),
  f('queues', 'maxWaitSec', 'int', O, 60),
  f('queues', 'noAgentWaitSec', 'int', O, 20),
  f('queues', 'timeout', 'dest', O, 'hangup'),
  f('queues', 'agentIds', 'ids', O, (fx: Fixture) => [fx.a.ext['201'].id]),
  f('queues', 'strategy', 'choice', O, 'ring-all'),
  f('hold-music', 'name', 'name', R, 'Classical'),
  f('hold-music', 'trackIds', 'ids', O, []),
  f('call-blocks', 'number', 'digits', R, '8005550111'),
  f('call-blocks', 'comment', 'name', O, 'Spam'),
  f('call-blocks', 'direction', 'choice', R, 'outbound'),
  f('trunks', 'name', 'slug', R, 'carrier_b'),
  f('trunks', 'host', 'host', R, 'sip2.example.com'),
  f('trunks', 'port', 'int', O, 5080),
  f('trunks', 'username', 'text', O, 'acme'),
  f('trunks', 'password', 'text', O, 'secret'),
  f('trunks', 'prefix', 'digits', O, '9'),
  f('trunks', 'transport', 'choice', O, 'tcp'),
  f('users', 'username', 'text', R, 'carol@acme.test', { only: 'create' }),
  f('users', 'firstName', 'name', O, 'Carol', { only: 'create' }),
  f('users', 'lastName', 'name', O, 'Smith', { only: 'create' }),
  f('users', 'email', 'email', O, 'carol@acme.test', { only: 'create' }),
  f('users', 'type', 'choice', R, 'admin', { only: 'create' }),
  f('users', 'extensionId', 'id', O, (fx: Fixture) => fx.a.ext['201'].id, { only: 'create' }),
  f('pbx', 'name', 'name', R, 'Acme'),
  f('pbx', 'callerIdName', 'name', O, 'ACME'),
  f('pbx', 'callerIdNumber', 'phone', O, '3125550100'),
  f('pbx', 'pin', 'digits', R, '4321'),
  f('pbx', 'areaCode', 'digits', O, '312'),
  f('pbx', 'parkingTimeout', 'int', O, 300),
  f('pbx', 'timezone', 'zone', R, 'America/Denver'),
  f('pbx', 'phoneAdminPassword', 'text', R, 'Admin12345'),
  f('pbx', 'featureCodes.intercom', 'code', R, '*55', { set: (v) => ({ featureCodes: { intercom: v } }) }),
  f('listen-live', 'password', 'digits', R, '1234', { only: 'update', set: (v) => ({ mode: 'listen', password: v }) }),
  f('listen-live', 'mode', 'choice', O, 'listen', { only: 'update', set: (v) => ({ mode: v, password: '123' }) }),
];

/** The values also tried on each field alone (the all-fields-at-once saves cover the rest). */
const ISOLATED = ['FreeSWITCH variable', 'a valid value inside an array', 'NUL'];

/** Merges the inputs of several fields; nested maps (routing, findMe, featureCodes) are merged, not replaced. */
function deepMerge(parts: Input[]): Input {
  const out: Input = {};
  for (const part of parts)
    for (const [k, v] of Object.entries(part)) {
      const prev = out[k];
      const isMap = (x: unknown) => !!x && typeof x === 'object' && !Array.isArray(x);
      out[k] = isMap(prev) && isMap(v) ? deepMerge([prev as Input, v as Input]) : v;
    }
  return out;
}

/** Every value that must be refused for a field of this spec. */
function hostileValues(spec: Spec, fx: Fixture): Array<[string, unknown]> {
  const values: Array<[string, unknown]> = [...HOSTILE_TEXT];
  if (spec.type !== 'name') values.push(['unicode', UNICODE_NAME]);
  for (const shape of WRONG_SHAPES) {
    // A list is the right shape for list fields; for text fields one number (42, below) stands for all numbers.
    if (spec.type === 'ids' && Array.isArray(shape[1])) continue;
    if (typeof shape[1] === 'number' && !COUNT_OK.includes(spec.type)) continue;
    values.push(shape);
  }
  if (!COUNT_OK.includes(spec.type)) values.push(['a number where text is expected', 42]);
  const valid = typeof spec.valid === 'function' ? (spec.valid as (x: Fixture) => unknown)(fx) : spec.valid;
  if (spec.type !== 'ids' && valid !== null) values.push(['a valid value inside an array', [valid]]);
  if (spec.type === 'ids') values.push(['a list holding a list', [[1]]], ['a list holding an object', [{ id: 1 }]]);
  if (spec.blank === 'required') values.push(['empty', ''], ['null', null], ['spaces only', '   ']);
  if (spec.type === 'dest')
    values.push(
      ['a custom destination with a variable', { kind: 'custom', value: '*' + '$' + '{x}' }],
      ['an outside number with a pipe', 'outside_number:3125550100|bridge'],
      ['an object destination with an id array', { kind: 'extension', id: [1] }],
    );
  return values;
}

forEachEngine('hostile input', (engine) => {
  let fx: Fixture;
  /** The saved object of each kind in PBX A that updates target. */
  const existing: Record<string, number> = {};
  /** One valid create input per kind; refused creates save nothing, so it can be reused (not for accepted ones). */
  const base: Record<string, Input> = {};
  before(async () => {
    fx = await openFixture(engine);
    for (const kind of new Set(FIELDS.map((s) => s.kind)))
      if (!['users', 'pbx', 'listen-live'].includes(kind)) {
        existing[kind] = (await create(fx, kind, await validInput(kind, fx))).id as number;
        base[kind] = await validInput(kind, fx);
      }
  });
  after(async () => fx?.w.close());

  async function save(spec: Spec, mode: 'create' | 'update', input: Input, fresh = false): Promise<unknown> {
    const s = fx.s;
    const n = fx.next();
    switch (spec.kind) {
      case 'pbx':
        return mode === 'create'
          ? s.pbx.create(SYSTEM, { context: `hostile_${n}`, name: 'Hostile', ...input })
          : s.pbx.update(SYSTEM, fx.a.pbx.id, input);
      case 'listen-live':
        return s.pbx.setListenLive(SYSTEM, fx.a.pbx.id, input);
      case 'users':
        return s.users.create(SYSTEM, fx.a.pbx.id, {
          username: `user${n}@acme.test`,
          password: 'long enough password',
          type: 'admin',
          ...input,
        });
      default:
        return mode === 'create'
          ? create(fx, spec.kind, { ...(fresh ? await validInput(spec.kind, fx) : base[spec.kind]), ...input })
          : s.objects.update(SYSTEM, fx.a.pbx.id, spec.kind, existing[spec.kind], input);
    }
  }

  /** Both PBXs, and the list of PBXs (a refused PBX create must not leave one behind). */
  const everything = async () => (await stored(fx.s, fx.pbxIds)) + JSON.stringify(await fx.s.pbx.list(SYSTEM));

  const setter = (spec: Spec) => spec.set ?? ((v: unknown) => ({ [spec.field]: v }));

  /** Kinds and the modes that apply to them, each with its fields. Listen Live's two fields share `mode`: alone. */
  const groups: Array<{ title: string; mode: 'create' | 'update'; specs: Spec[] }> = [];
  for (const kind of new Set(FIELDS.map((x) => x.kind)))
    for (const mode of ['create', 'update'] as const) {
      const specs = FIELDS.filter((x) => x.kind === kind && (!x.only || x.only === mode));
      if (!specs.length) continue;
      if (kind === 'listen-live') for (const x of specs) groups.push({ title: `${kind} ${x.field}`, mode, specs: [x] });
      else groups.push({ title: kind, mode, specs });
    }

  for (const { title, mode, specs } of groups) {
    it(`${title} (${mode}): each hostile value in every field at once, each field named, nothing stored changes`, async () => {
      const before = await everything();
      // One save per hostile value, carrying it in every field for which it is hostile (fields differ: a list is fine
      // for a list field, a number for a count). Every one of those fields must be named in the one ValidationError.
      const byLabel = new Map<string, Array<{ spec: Spec; value: unknown }>>();
      for (const spec of specs)
        for (const [label, value] of hostileValues(spec, fx)) {
          if (!byLabel.has(label)) byLabel.set(label, []);
          byLabel.get(label)?.push({ spec, value });
        }
      for (const [label, entries] of byLabel) {
        const input = deepMerge(entries.map(({ spec, value }) => setter(spec)(value)));
        const err = await rejection(save(specs[0], mode, input));
        if (!(err instanceof ValidationError))
          expect.fail(`${label}: expected ValidationError, got ${err.name}: ${err.message}`);
        for (const { spec } of entries) {
          const text = err.fields[spec.field];
          expect(text, `${label}: no message for ${spec.field} in ${err.message.slice(0, 300)}`).to.be.a('string');
          expect(text.length, `${label}: ${spec.field} message length`).to.be.within(1, 399);
          expect(text, `${label}: ${spec.field}`).to.not.match(/undefined|\[object |NaN|TypeError/);
        }
        // Whatever the message quotes of the input, nothing a terminal would act on (ESC, CR/LF, NUL, bidi) is in it.
        for (const [field, text] of Object.entries(err.fields))
          expect(`${field} ${text}`, label).to.not.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      }
      if ((await everything()) !== before) expect.fail('a refused save changed stored data');
    });
  }

  for (const { title, specs } of groups.filter((g) => g.mode === 'update'))
    it(`${title}: each field alone (update) refuses a few of the values, named, nothing stored changes`, async () => {
      const before = await everything();
      for (const spec of specs)
        for (const [what, v] of hostileValues(spec, fx).filter(([l]) => ISOLATED.includes(l)))
          try {
            await expectInvalid(save(spec, 'update', setter(spec)(v)), spec.field);
          } catch (err) {
            throw new Error(`${spec.field}, ${what}: ${(err as Error).message}`);
          }
      if ((await everything()) !== before) expect.fail('a refused save changed stored data');
    });

  for (const spec of FIELDS) {
    const set = setter(spec);
    if (spec.only !== 'update') {
      if (spec.type === 'name')
        it(`${spec.kind} ${spec.field}: accepts the unicode name ${UNICODE_NAME}, stored ${spec.unicode ? 'normalised' : 'as typed'}`, async () => {
          const u = spec.unicode ?? { input: UNICODE_NAME, stored: UNICODE_NAME };
          const saved = (await save(spec, 'create', set(u.input), true)) as Input;
          expect(saved[spec.field]).to.equal(u.stored);
        });
      if (spec.blank === 'optional')
        it(`${spec.kind} ${spec.field}: empty and null mean "none" or the default`, async () => {
          for (const v of ['', null]) await save(spec, 'create', set(v), true);
        });
    }
  }

  it('a portal password is hashed, so any printable text of 10 to 200 characters is fine', async () => {
    for (const pw of [`${'$'}{system(id)}`, '1001|bridge,x', '<x>"q"../^^:', 'Zoë Ñandú 1234', '📞📞📞📞📞📞']) {
      const n = fx.next();
      await fx.s.users.create(SYSTEM, fx.a.pbx.id, { username: `pw${n}@acme.test`, password: pw, type: 'admin' });
      expect(await fx.s.users.authenticate(`pw${n}@acme.test`, pw)).to.not.equal(null);
    }
    const before = await everything();
    for (const [pw, message] of [
      ['a\nb long password', /control characters/],
      ['a\rb long password', /control characters/],
      ['a\u0000b long password', /control characters/],
      ['x'.repeat(10 * 1024), /10 to 200/],
      ['short', /10 to 200/],
      ['', /10 to 200/],
      [null, /10 to 200/],
      [['long enough password'], /10 to 200/],
      [{ pw: 'long enough password' }, /10 to 200/],
      [1234567890123, /10 to 200/],
    ] as Array<[unknown, RegExp]>)
      await expectInvalid(
        fx.s.users.create(SYSTEM, fx.a.pbx.id, { username: `pw${fx.next()}@acme.test`, password: pw, type: 'admin' }),
        'password',
        message,
      );
    expect(await everything()).to.equal(before);
  });
});
