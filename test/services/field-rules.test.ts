// Every field rule of every object kind, through ObjectService on SQLite and PostgreSQL: accepted values are saved,
// refused values name their field, and a refused save leaves both PBXs exactly as they were.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, newNumber, openFixture, validInput } from './fixture';
import { expectInvalid, expectUnchanged } from './support';

type Input = Record<string, unknown>;
interface Case {
  what: string;
  /** Merged over a valid input of the kind; a function reads ids from the fixture. */
  input: Input | ((fx: Fixture) => Input | Promise<Input>);
  /** 'ok', or the field expected in the ValidationError with a message pattern. */
  expect: 'ok' | [string, RegExp];
  /** Apply `input` as an update of a freshly created valid object instead of creating with it. */
  update?: boolean;
  /** Create in PBX B instead of A. */
  inB?: boolean;
  /** More checks on the saved row. */
  saved?: (row: Input, fx: Fixture) => void | Promise<void>;
}

const ok = 'ok' as const;
const bad = (field: string, message: RegExp): [string, RegExp] => [field, message];
const A = (fx: Fixture) => fx.a;

const TABLE: Record<string, Case[]> = {
  extensions: [
    {
      what: 'accepts a valid extension with the manual defaults',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r.secondsToRing).to.equal(20);
        expect((r.routing as Input).tryFirst).to.deep.equal({ kind: 'phone' });
        expect((r.routing as Input).ifNotAnswered).to.deep.equal({ kind: 'hangup' });
        expect(r, 'the SIP password is never returned').to.not.have.property('sipPassword');
      },
    },
    {
      what: 'no answer goes to its mailbox by default (busy greeting when busy)',
      input: (fx) => ({ mailboxId: fx.a.ext['201'].mailboxId }),
      expect: ok,
      saved: (r, fx) => {
        const box = fx.a.ext['201'].mailboxId;
        expect((r.routing as Input).ifNotAnswered).to.deep.equal({ kind: 'mailbox', id: box });
        expect((r.routing as Input).ifBusy).to.deep.equal({ kind: 'mailbox', id: box, greeting: 'busy' });
      },
    },
    { what: 'number of 2 digits', input: { number: '47' }, expect: ok },
    { what: 'number of 6 digits', input: { number: '987654' }, expect: ok },
    { what: 'number of 1 digit', input: { number: '7' }, expect: bad('number', /2 to 6 digits/) },
    { what: 'number of 7 digits', input: { number: '1234567' }, expect: bad('number', /2 to 6 digits/) },
    { what: 'number with a letter', input: { number: '12a' }, expect: bad('number', /digits only/) },
    {
      what: 'number already an extension',
      input: { number: '201' },
      expect: bad('number', /extension 201 already exists/),
    },
    { what: 'number of a conference room', input: { number: '800' }, expect: bad('number', /conference room 800/) },
    { what: 'number of a queue', input: { number: '600' }, expect: bad('number', /queue "Billing"/) },
    { what: 'number 911', input: { number: '911' }, expect: bad('number', /911/) },
    { what: 'number starting 911', input: { number: '9115' }, expect: bad('number', /911/) },
    { what: 'number taken in the other PBX only', input: { number: '4711' }, inB: true, expect: ok },
    {
      what: 'no E911 location',
      input: { e911LocationId: null },
      expect: bad('e911LocationId', /every extension needs an E911 location/),
    },
    {
      what: 'E911 location of another PBX',
      input: (fx) => ({ e911LocationId: fx.b.locationId }),
      expect: bad('e911LocationId', /does not exist in this PBX/),
    },
    {
      what: 'E911 location removed on update',
      update: true,
      input: { e911LocationId: '' },
      expect: bad('e911LocationId', /every extension needs an E911 location/),
    },
    {
      what: 'mailbox of another PBX',
      input: (fx) => ({ mailboxId: fx.b.ext['201'].mailboxId }),
      expect: bad('mailboxId', /does not exist in this PBX/),
    },
    {
      what: 'outgoing caller ID of another PBX',
      input: (fx) => ({ outgoingCallerIdNumberId: fx.b.numberId }),
      expect: bad('outgoingCallerIdNumberId', /does not exist in this PBX/),
    },
    { what: 'seconds to ring 5', input: { secondsToRing: 5 }, expect: ok },
    { what: 'seconds to ring 120', input: { secondsToRing: '120' }, expect: ok },
    { what: 'seconds to ring 4', input: { secondsToRing: 4 }, expect: bad('secondsToRing', /between 5 and 120/) },
    { what: 'seconds to ring 121', input: { secondsToRing: 121 }, expect: bad('secondsToRing', /between 5 and 120/) },
    { what: 'no name', input: { name: '' }, expect: bad('name', /is required/) },
    { what: 'name of 51 characters', input: { name: 'x'.repeat(51) }, expect: bad('name', /at most 50/) },
    {
      what: 'unicode name',
      input: { name: 'Zoë Ñandú' },
      expect: ok,
      saved: (r) => {
        expect(r.name).to.equal('Zoë Ñandú');
      },
    },
    {
      what: 'message waiting for existing mailboxes',
      input: { mwiMailboxes: '201, 202' },
      expect: ok,
      saved: (r) => {
        expect(r.mwiMailboxes).to.deep.equal(['201', '202']);
      },
    },
    {
      what: 'message waiting for a missing mailbox',
      input: { mwiMailboxes: ['999'] },
      expect: bad('mwiMailboxes', /999 does not exist/),
    },
    {
      what: 'message waiting for 11 mailboxes',
      input: { mwiMailboxes: Array.from({ length: 11 }, () => '201') },
      expect: bad('mwiMailboxes', /at most 10/),
    },
    {
      what: 'message waiting that is not a list',
      input: { mwiMailboxes: 201 },
      expect: bad('mwiMailboxes', /list of mailbox numbers/),
    },
    {
      what: 'routing to another extension and find me',
      input: (fx) => ({ routing: { tryFirst: `extension:${fx.a.ext['202'].id}`, ifBusy: 'find_me' } }),
      expect: ok,
    },
    { what: 'routing that is not a map', input: { routing: 'hangup' }, expect: bad('routing', /must map tryFirst/) },
    { what: 'routing as a list', input: { routing: ['hangup'] }, expect: bad('routing', /must map tryFirst/) },
    {
      what: 'routing to an extension of another PBX',
      input: (fx) => ({ routing: { tryFirst: { kind: 'extension', id: fx.b.ext['201'].id } } }),
      expect: bad('routing.tryFirst', /extension #\d+ does not exist in this PBX/),
    },
    {
      what: 'routing back to itself',
      update: true,
      input: () => ({ routing: { ifBusy: 'extension:SELF' } }),
      expect: bad('routing.ifBusy', /must not send calls back to the same extension/),
    },
    {
      what: 'find me with 6 locations',
      input: { findMe: { locations: Array.from({ length: 6 }, () => ({ type: 'my_extension' })) } },
      expect: bad('findMe.locations', /at most 5/),
    },
    {
      what: 'find me outside line that is not a phone number',
      input: { findMe: { locations: [{ type: 'outside_number', number: '5551234' }] } },
      expect: bad('findMe.locations.1.number', /10 to 15 digits/),
    },
    {
      what: 'find me other extension of another PBX',
      input: (fx) => ({ findMe: { locations: [{ type: 'other_extension', extensionId: fx.b.ext['201'].id }] } }),
      expect: bad('findMe.locations.1.extensionId', /does not exist in this PBX/),
    },
    {
      what: 'find me ring time 4 s',
      input: { findMe: { ringSeconds: 4 } },
      expect: bad('findMe.ringSeconds', /between 5 and 120/),
    },
    {
      what: 'find me active hours ending before they start',
      input: { findMe: { alwaysActive: false, activeFrom: '18:00', activeTo: '08:00' } },
      expect: bad('findMe.activeTo', /later than the start/),
    },
    { what: 'find me that is not a map', input: { findMe: 'on' }, expect: bad('findMe', /must be an object/) },
    {
      what: 'find me fallback to the phone (not a general destination)',
      input: { findMe: { fallback: 'phone' } },
      expect: bad('findMe.fallback', /only available for an extension's own routing/),
    },
    {
      what: 'a typed SIP password never replaces the generated one',
      input: { sipPassword: 'typed' },
      expect: ok,
      saved: async (r, fx) => {
        const snap = await fx.s.snapshot(fx.a.pbx.id);
        expect(snap.extensions.find((e) => e.id === r.id)?.sipPassword).to.equal('Generated1234567');
      },
    },
  ],

  mailboxes: [
    {
      what: 'accepts a valid mailbox; voicemail kept 180 days by default',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r.retentionDays).to.equal(180);
        expect(r, 'the password is never returned').to.not.have.property('password');
      },
    },
    { what: 'number of 1 digit', input: { number: '7' }, expect: bad('number', /2 to 6 digits/) },
    { what: 'number of 7 digits', input: { number: '1234567' }, expect: bad('number', /2 to 6 digits/) },
    { what: 'number already a mailbox', input: { number: '202' }, expect: bad('number', /mailbox 202 already exists/) },
    { what: 'same number in the other PBX', input: { number: '4321' }, inB: true, expect: ok },
    { what: 'same number again in this PBX', input: { number: '4321' }, expect: ok },
    { what: 'password with letters', input: { password: '12ab' }, expect: bad('password', /digits only/) },
    { what: 'password of 3 digits', input: { password: '123' }, expect: bad('password', /4 to 12 digits/) },
    { what: 'no password', input: { password: '' }, expect: bad('password', /is required/) },
    {
      what: 'password equal to the mailbox number',
      input: { number: '7777', password: '7777' },
      expect: bad('password', /must not be the same as the mailbox number/),
    },
    {
      what: 'renumbering onto the password',
      update: true,
      input: { number: '2580' },
      expect: bad('password', /must not be the same as the mailbox number/),
    },
    {
      what: 'confirmation that differs',
      input: { password: '2468', passwordConfirm: '2469' },
      expect: bad('passwordConfirm', /does not match/),
    },
    { what: 'confirmation that matches', input: { password: '2468', passwordConfirm: '2468' }, expect: ok },
    { what: 'retention 1 day', input: { retentionDays: 1 }, expect: ok },
    { what: 'retention 180 days', input: { retentionDays: 180 }, expect: ok },
    { what: 'retention 0 days', input: { retentionDays: 0 }, expect: bad('retentionDays', /between 1 and 180/) },
    { what: 'retention 181 days', input: { retentionDays: 181 }, expect: bad('retentionDays', /between 1 and 180/) },
    {
      what: 'notification email',
      input: { email: 'a@example.com', smsEmail: '3125550100@txt.example.com' },
      expect: ok,
    },
    { what: 'bad email', input: { email: 'not-an-email' }, expect: bad('email', /valid email/) },
    { what: 'bad SMS email', input: { smsEmail: 'x@' }, expect: bad('smsEmail', /valid email/) },
    {
      what: 'greeting that does not exist',
      input: { unavailableGreetingId: 999999 },
      expect: bad('unavailableGreetingId', /does not exist in this PBX/),
    },
  ],

  numbers: [
    {
      what: 'accepts a number typed with + and separators, stored as digits',
      input: { number: '+1 (312) 668-0001' },
      expect: ok,
      saved: (r) => {
        expect(r.number).to.equal('13126680001');
        expect(r.showCallerId).to.equal(true);
        expect(r.ifHoliday).to.equal(null);
      },
    },
    { what: 'too short', input: { number: '3125550' }, expect: bad('number', /10 to 15 digits/) },
    { what: 'leading 0', input: { number: '0312555000' }, expect: bad('number', /must not start with 0/) },
    { what: 'NANP area code starting 1', input: { number: '1312555000' }, expect: bad('number', /area code/) },
    {
      what: 'already a number of this PBX',
      input: (fx) => ({ number: `312555${String(fx.a.pbx.id).padStart(4, '0')}` }),
      expect: bad('number', /already a phone number of a PBX/),
    },
    {
      what: 'already a number of another PBX (a DID rings one PBX)',
      input: (fx) => ({ number: `312555${String(fx.b.pbx.id).padStart(4, '0')}` }),
      expect: bad('number', /already a phone number of a PBX/),
    },
    { what: 'no route', input: { routeTo: null }, expect: bad('routeTo', /is required/) },
    {
      what: 'route to the phone',
      input: { routeTo: 'phone' },
      expect: bad('routeTo', /only available for an extension/),
    },
    {
      what: 'route to find me',
      input: { routeTo: 'find_me' },
      expect: bad('routeTo', /only available for an extension/),
    },
    {
      what: 'route to a group of another PBX',
      input: (fx) => ({ routeTo: { kind: 'group', id: fx.ids.groupB } }),
      expect: bad('routeTo', /group #\d+ does not exist in this PBX/),
    },
    { what: 'holiday route', input: { ifHoliday: 'check_voicemail' }, expect: ok },
    {
      what: 'holiday route to a missing attendant',
      input: { ifHoliday: 'auto_attendant:999999' },
      expect: bad('ifHoliday', /does not exist in this PBX/),
    },
    {
      what: 'state in lower case',
      input: { state: 'il' },
      expect: ok,
      saved: (r) => {
        expect(r.state).to.equal('IL');
      },
    },
    { what: 'state spelled out', input: { state: 'Illinois' }, expect: bad('state', /two-letter/) },
    { what: 'caller ID name of 15', input: { callerIdName: 'ACME DENTAL LLC' }, expect: ok },
    {
      what: 'caller ID name of 16',
      input: { callerIdName: 'x'.repeat(16) },
      expect: bad('callerIdName', /at most 15/),
    },
    {
      what: 'hold music of another PBX',
      input: (fx) => ({ holdMusicGroupId: fx.ids.musicB }),
      expect: bad('holdMusicGroupId', /does not exist in this PBX/),
    },
  ],

  e911: [
    {
      what: 'accepts a valid location',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r.termsAcceptedAt).to.be.instanceOf(Date);
      },
    },
    { what: 'no callback number', input: { callbackNumberId: null }, expect: bad('callbackNumberId', /is required/) },
    {
      what: 'callback number of another PBX',
      input: (fx) => ({ callbackNumberId: fx.b.numberId }),
      expect: bad('callbackNumberId', /does not exist in this PBX/),
    },
    {
      what: 'callback number already used by another location (one location per number)',
      input: (fx) => ({ callbackNumberId: fx.a.numberId }),
      expect: bad('callbackNumberId', /already the callback number of another E911 location/),
    },
    {
      what: 'the same number kept on update',
      update: true,
      input: { street: '2 Main St' },
      expect: ok,
    },
    {
      what: 'terms not accepted',
      input: { termsAccepted: false },
      expect: bad('termsAccepted', /agree to the E911 terms/),
    },
    { what: 'state of 3 letters', input: { state: 'ILL' }, expect: bad('state', /two-letter/) },
    { what: 'ZIP of 4 digits', input: { zip: '6060' }, expect: bad('zip', /ZIP code/) },
    { what: 'ZIP+4', input: { zip: '60601-1234' }, expect: ok },
    { what: 'name already used (any case)', input: { name: 'hq' }, expect: bad('name', /already named/) },
    { what: 'no street', input: { street: '' }, expect: bad('street', /is required/) },
    { what: 'no city', input: { city: null }, expect: bad('city', /is required/) },
    {
      what: 'unit is optional',
      input: { unit: '' },
      expect: ok,
      saved: (r) => {
        expect(r.unit).to.equal(null);
      },
    },
  ],

  attendants: [
    {
      what: 'accepts a valid attendant with the default greeting',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r.timeoutSec).to.equal(10);
        expect(r.digitTimeoutSec).to.equal(3);
        expect(r.announcement).to.deep.equal({ source: 'default' });
      },
    },
    {
      what: 'name already used (any case)',
      input: { name: 'MENU' },
      expect: bad('name', /another auto attendant is already named/),
    },
    { what: 'same name in another PBX', input: { name: 'Menu' }, inB: true, expect: ok },
    { what: 'timeout 1 s', input: { timeoutSec: 1 }, expect: ok },
    { what: 'timeout 60 s', input: { timeoutSec: 60 }, expect: ok },
    { what: 'timeout 0 s', input: { timeoutSec: 0 }, expect: bad('timeoutSec', /between 1 and 60/) },
    { what: 'timeout 61 s', input: { timeoutSec: 61 }, expect: bad('timeoutSec', /between 1 and 60/) },
    { what: 'digit timeout 0 s', input: { digitTimeoutSec: 0 }, expect: bad('digitTimeoutSec', /between 1 and 10/) },
    { what: 'digit timeout 11 s', input: { digitTimeoutSec: 11 }, expect: bad('digitTimeoutSec', /between 1 and 10/) },
    {
      what: 'buttons for keys, star, hash and timeout',
      input: (fx) => ({
        buttons: {
          '0': `extension:${fx.a.ext['201'].id}`,
          '*': 'company_directory',
          '#': 'check_voicemail',
          timeout: `mailbox:${fx.a.ext['201'].mailboxId}`,
          '5': '',
        },
      }),
      expect: ok,
      saved: (r) => {
        expect(Object.keys(r.buttons as Input).sort()).to.deep.equal(['#', '*', '0', 'timeout']);
      },
    },
    { what: 'an unknown key', input: { buttons: { A: 'hangup' } }, expect: bad('buttons', /unknown key "A"/) },
    { what: 'buttons as a list', input: { buttons: ['hangup'] }, expect: bad('buttons', /must map keys/) },
    { what: 'a button to the phone', input: { buttons: { '1': 'phone' } }, expect: bad('buttons.1', /only available/) },
    {
      what: 'a button to an extension of another PBX',
      input: (fx) => ({ buttons: { '1': { kind: 'extension', id: fx.b.ext['201'].id } } }),
      expect: bad('buttons.1', /does not exist in this PBX/),
    },
    {
      what: 'greeting from a missing audio file',
      input: { announcement: { source: 'audio', audioId: 999999 } },
      expect: bad('announcement.audioId', /does not exist in this PBX/),
    },
    {
      what: 'greeting from a mailbox of another PBX',
      input: (fx) => ({ announcement: { source: 'mailbox', mailboxId: fx.b.ext['201'].mailboxId } }),
      expect: bad('announcement.mailboxId', /does not exist in this PBX/),
    },
    {
      what: 'greeting from a mailbox of this PBX',
      input: (fx) => ({ announcement: { source: 'mailbox', mailboxId: fx.a.ext['201'].mailboxId } }),
      expect: ok,
    },
    {
      what: 'greeting source as a list',
      input: { announcement: ['audio'] },
      expect: bad('announcement', /must be default/),
    },
    { what: 'unknown greeting source', input: { announcement: 'tts' }, expect: bad('announcement.source', /one of/) },
  ],

  'time-frames': [
    { what: 'accepts a valid time frame', input: {}, expect: ok },
    { what: 'name already used', input: { name: 'hours 1' }, expect: ok },
    {
      what: 'name already used (any case)',
      input: async (fx) => {
        await create(fx, 'time-frames', { ...(await validInput('time-frames', fx)), name: 'Lunch' });
        return { name: 'LUNCH' };
      },
      expect: bad('name', /another time frame is already named/),
    },
    {
      what: 'all day, days sorted, times ignored',
      input: { rules: [{ days: [5, 1, '3'], allDay: true, from: '12:00', to: '13:00' }] },
      expect: ok,
      saved: (r) => {
        expect(r.rules).to.deep.equal([{ days: [1, 3, 5], allDay: true, from: '00:00', to: '24:00' }]);
      },
    },
    { what: 'a rule without days', input: { rules: [{ days: [] }] }, expect: bad('rules.1.days', /weekdays 0/) },
    { what: 'day 7', input: { rules: [{ days: [7] }] }, expect: bad('rules.1.days', /weekdays 0/) },
    { what: 'a day twice', input: { rules: [{ days: [1, 1] }] }, expect: bad('rules.1.days', /weekdays 0/) },
    {
      what: 'an empty day (is not Sunday)',
      input: { rules: [{ days: [''] }] },
      expect: bad('rules.1.days', /weekdays/),
    },
    {
      what: 'a null day (is not Sunday)',
      input: { rules: [{ days: [null] }] },
      expect: bad('rules.1.days', /weekdays/),
    },
    { what: 'a day as a list', input: { rules: [{ days: [[1]] }] }, expect: bad('rules.1.days', /weekdays/) },
    {
      what: 'a start of 25:00',
      input: { rules: [{ days: [1], from: '25:00' }] },
      expect: bad('rules.1.from', /HH:MM/),
    },
    {
      what: 'an end before the start',
      input: { rules: [{ days: [1], from: '17:00', to: '09:00' }] },
      expect: bad('rules.1.to', /later than the start/),
    },
    {
      what: 'an error in the second rule names it',
      input: { rules: [{ days: [1] }, { days: [9] }] },
      expect: bad('rules.2.days', /weekdays/),
    },
    {
      what: '15 rules',
      input: { rules: Array.from({ length: 15 }, () => ({ days: [1] })) },
      expect: bad('rules', /at most 14/),
    },
    { what: 'rules as a map', input: { rules: { days: [1] } }, expect: bad('rules', /must be a list/) },
    { what: 'no "during" route', input: { during: null }, expect: bad('during', /is required/) },
    { what: 'no "after" route', input: { after: '' }, expect: bad('after', /is required/) },
    { what: 'after hours to find me', input: { after: 'find_me' }, expect: bad('after', /only available/) },
  ],

  holidays: [
    { what: 'accepts a valid holiday', input: {}, expect: ok },
    { what: 'a date that does not exist', input: { date: '2031-02-30' }, expect: bad('date', /YYYY-MM-DD/) },
    { what: 'a US-style date', input: { date: '07/04/2031' }, expect: bad('date', /YYYY-MM-DD/) },
    {
      what: 'a day that is already a holiday',
      input: async (fx) => {
        await create(fx, 'holidays', { name: 'Independence Day', date: '2031-07-04' });
        return { date: '2031-07-04' };
      },
      expect: bad('date', /overlaps the holiday "Independence Day" \(2031-07-04\)/),
    },
    { what: 'no name', input: { name: '' }, expect: bad('name', /is required/) },
    {
      what: 'several days',
      input: { date: '2031-12-24', endDate: '2031-12-26' },
      expect: ok,
      saved: (r) => void expect(r).to.deep.include({ date: '2031-12-24', endDate: '2031-12-26' }),
    },
    {
      what: 'an end date equal to the first day is a single day',
      input: { date: '2031-03-03', endDate: '2031-03-03' },
      expect: ok,
      saved: (r) => void expect(r).to.deep.include({ date: '2031-03-03', endDate: null }),
    },
    {
      what: 'an end date before the first day',
      input: { date: '2031-12-24', endDate: '2031-12-20' },
      expect: bad('endDate', /on or after the first day/),
    },
    {
      what: 'more than 31 days',
      input: { date: '2031-06-01', endDate: '2031-07-02' },
      expect: bad('endDate', /at most 31 days/),
    },
    {
      what: 'a range over a day that is already a holiday',
      input: async (fx) => {
        await create(fx, 'holidays', { name: 'Boxing Day', date: '2032-12-26' });
        return { date: '2032-12-24', endDate: '2032-12-27' };
      },
      expect: bad('date', /overlaps the holiday "Boxing Day"/),
    },
    {
      what: 'a day inside another holiday of several days',
      input: async (fx) => {
        await create(fx, 'holidays', { name: 'Shutdown', date: '2033-08-01', endDate: '2033-08-10' });
        return { date: '2033-08-05' };
      },
      expect: bad('date', /overlaps the holiday "Shutdown" \(2033-08-01 to 2033-08-10\)/),
    },
    {
      what: 'the day after another holiday of several days',
      input: async (fx) => {
        await create(fx, 'holidays', { name: 'Closure', date: '2034-08-01', endDate: '2034-08-10' });
        return { date: '2034-08-11' };
      },
      expect: ok,
    },
    { what: 'an end date that does not exist', input: { endDate: '2031-02-30' }, expect: bad('endDate', /YYYY-MM-DD/) },
  ],

  groups: [
    {
      what: 'accepts a valid group: simultaneous, 20 s, then hang up',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r.strategy).to.equal('simultaneous');
        expect(r.secondsToRing).to.equal(20);
        expect(r.afterRing).to.deep.equal({ kind: 'hangup' });
      },
    },
    {
      what: 'members keep their order',
      input: (fx) => ({ memberIds: [fx.a.ext['202'].id, fx.a.ext['201'].id], strategy: 'sequential' }),
      expect: ok,
      saved: (r, fx) => {
        expect(r.memberIds).to.deep.equal([fx.a.ext['202'].id, fx.a.ext['201'].id]);
      },
    },
    {
      what: 'name already used (any case)',
      input: async (fx) => {
        await create(fx, 'groups', { ...(await validInput('groups', fx)), name: 'Support' });
        return { name: 'support' };
      },
      expect: bad('name', /another group is already named/),
    },
    { what: 'same name as a group of another PBX', input: { name: 'B team' }, expect: ok },
    { what: 'no members', input: { memberIds: [] }, expect: bad('memberIds', /at least one extension/) },
    {
      what: 'a member of another PBX',
      input: (fx) => ({ memberIds: [fx.b.ext['201'].id] }),
      expect: bad('memberIds', /does not exist in this PBX/),
    },
    {
      what: 'a member twice',
      input: (fx) => ({ memberIds: [fx.a.ext['201'].id, fx.a.ext['201'].id] }),
      expect: bad('memberIds', /twice/),
    },
    { what: 'seconds to ring 4', input: { secondsToRing: 4 }, expect: bad('secondsToRing', /between 5 and 300/) },
    { what: 'seconds to ring 301', input: { secondsToRing: 301 }, expect: bad('secondsToRing', /between 5 and 300/) },
    {
      what: 'unknown ring strategy',
      input: { strategy: 'random' },
      expect: bad('strategy', /simultaneous, sequential/),
    },
    { what: 'after ringing to find me', input: { afterRing: 'find_me' }, expect: bad('afterRing', /only available/) },
  ],

  conferences: [
    {
      what: 'accepts a room without PIN',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r).to.not.have.property('password');
      },
    },
    { what: 'a numeric PIN', input: { password: '2468' }, expect: ok },
    { what: 'a PIN with letters', input: { password: 'abc1' }, expect: bad('password', /digits only/) },
    { what: 'a PIN of 2 digits', input: { password: '12' }, expect: bad('password', /3 to 12 digits/) },
    { what: 'number of an extension', input: { number: '201' }, expect: bad('number', /extension 201 already exists/) },
    { what: 'number of a queue', input: { number: '600' }, expect: bad('number', /queue "Billing"/) },
    { what: 'number already a room', input: { number: '800' }, expect: bad('number', /conference room 800/) },
    { what: 'number of 1 digit', input: { number: '8' }, expect: bad('number', /2 to 6 digits/) },
    { what: 'same number in another PBX', input: { number: '800' }, inB: true, expect: ok },
  ],

  'conference-hubs': [
    { what: 'accepts a valid hub', input: {}, expect: ok },
    {
      what: 'name already used (any case)',
      input: async (fx) => {
        await create(fx, 'conference-hubs', { name: 'Bridge' });
        return { name: 'BRIDGE' };
      },
      expect: bad('name', /already named/),
    },
    { what: 'no name', input: { name: '' }, expect: bad('name', /is required/) },
  ],

  queues: [
    {
      what: 'accepts a valid queue',
      input: {},
      expect: ok,
      saved: (r) => {
        expect(r.strategy).to.equal('longest-idle-agent');
        expect(r.maxWaitSec).to.equal(300);
        expect(r.noAgentWaitSec).to.equal(30);
        expect(r.timeout).to.deep.equal({ kind: 'hangup' });
      },
    },
    {
      what: 'name already used (any case)',
      input: { name: 'billing' },
      expect: bad('name', /another queue is already named/),
    },
    { what: 'number of an extension', input: { number: '202' }, expect: bad('number', /extension 202 already exists/) },
    { what: 'number of a conference room', input: { number: '800' }, expect: bad('number', /conference room 800/) },
    { what: 'number already a queue', input: { number: '600' }, expect: bad('number', /queue "Billing"/) },
    { what: 'same name and number in another PBX', input: { name: 'Billing', number: '600' }, inB: true, expect: ok },
    { what: 'unknown strategy', input: { strategy: 'fastest' }, expect: bad('strategy', /longest-idle-agent/) },
    ...(
      [
        'ring-all',
        'round-robin',
        'top-down',
        'agent-with-least-talk-time',
        'agent-with-fewest-calls',
        'sequentially-by-agent-order',
        'random',
      ] as const
    ).map((strategy) => ({
      what: `strategy ${strategy}`,
      input: { strategy },
      expect: ok,
      saved: (r: Record<string, unknown>) => void expect(r.strategy).to.equal(strategy),
    })),
    {
      what: 'wait 10 s (the wait with no agent follows it down)',
      input: { maxWaitSec: 10 },
      expect: ok,
      saved: (r) => void expect(r.noAgentWaitSec).to.equal(10),
    },
    { what: 'no agent: leave after 1 s', input: { noAgentWaitSec: 1 }, expect: ok },
    { what: 'no agent: 0 s', input: { noAgentWaitSec: 0 }, expect: bad('noAgentWaitSec', /between 1 and 3600/) },
    {
      what: 'no agent: longer than the longest wait',
      input: { maxWaitSec: 60, noAgentWaitSec: 90 },
      expect: bad('noAgentWaitSec', /at most the longest wait \(60 seconds\)/),
    },
    { what: 'wait 9 s', input: { maxWaitSec: 9 }, expect: bad('maxWaitSec', /between 10 and 3600/) },
    { what: 'wait 3601 s', input: { maxWaitSec: 3601 }, expect: bad('maxWaitSec', /between 10 and 3600/) },
    {
      what: 'an agent of another PBX',
      input: (fx) => ({ agentIds: [fx.b.ext['201'].id] }),
      expect: bad('agentIds', /does not exist in this PBX/),
    },
    { what: 'timeout to the phone', input: { timeout: 'phone' }, expect: bad('timeout', /only available/) },
    {
      what: 'hold music of another PBX',
      input: (fx) => ({ holdMusicGroupId: fx.ids.musicB }),
      expect: bad('holdMusicGroupId', /does not exist in this PBX/),
    },
  ],

  'hold-music': [
    { what: 'accepts a valid group', input: {}, expect: ok },
    { what: 'name already used (any case)', input: { name: 'JAZZ' }, expect: bad('name', /already named/) },
    {
      what: 'a second group for outbound calling',
      input: async (fx) => {
        await create(fx, 'hold-music', { name: 'Outbound', outbound: true });
        return { outbound: true };
      },
      expect: bad('outbound', /only one may be/),
    },
    { what: 'an outbound group in another PBX', input: { outbound: true }, inB: true, expect: ok },
    {
      what: 'shuffled by default (the manual: a random order)',
      input: {},
      expect: ok,
      saved: (r) => void expect(r.shuffle).to.equal(true),
    },
    { what: 'in order', input: { shuffle: false }, expect: ok, saved: (r) => void expect(r.shuffle).to.equal(false) },
    { what: 'shuffle as a word', input: { shuffle: 'sometimes' }, expect: bad('shuffle', /yes or no/) },
    {
      what: 'a track that is not an upload of this PBX',
      input: { trackIds: [999999] },
      expect: bad('trackIds', /not an uploaded hold-music file of this PBX/),
    },
  ],

  'call-blocks': [
    { what: 'accepts a valid block', input: {}, expect: ok },
    { what: 'a short code', input: { number: '611' }, expect: ok },
    { what: 'a 2-digit number', input: { number: '12' }, expect: bad('number', /at least 3/) },
    {
      what: 'a number as people write it',
      input: { number: '+1 (312) 555-0142' },
      expect: ok,
      saved: (r) => void expect(r.number).to.equal('13125550142'),
    },
    {
      what: 'a pattern: every number starting 900',
      input: { number: '900*' },
      expect: ok,
      saved: (r) => void expect(r.number).to.equal('900*'),
    },
    { what: 'X, N and Z, in lower case', input: { number: 'nxx555xxxx' }, expect: ok },
    { what: 'a . at the end', input: { number: '1900.' }, expect: ok },
    { what: 'dots between digits', input: { number: '312.555.0142' }, expect: bad('number', /may only end a pattern/) },
    { what: 'a * in the middle', input: { number: '31*5' }, expect: bad('number', /may only end a pattern/) },
    { what: 'regex syntax', input: { number: '^900[0-9]+$' }, expect: bad('number', /digits, X \(any digit\)/) },
    { what: 'dialplan syntax', input: { number: '900${x}' }, expect: bad('number', /digits, X/) },
    { what: 'a wildcard after 2 characters', input: { number: '90*' }, expect: bad('number', /at least 3/) },
    { what: 'only a wildcard', input: { number: '*' }, expect: bad('number', /at least 3/) },
    { what: '16 characters', input: { number: '0114412345678901' }, expect: bad('number', /at most 15/) },
    {
      what: 'an outbound pattern that would block 911',
      input: { number: '9X1', direction: 'outbound' },
      expect: bad('number', /911 can never be blocked/),
    },
    {
      what: 'an outbound pattern starting 91 with a tail',
      input: { number: '91*', direction: 'outbound' },
      expect: bad('number', /at least 3|911/),
    },
    {
      what: 'an outbound prefix that covers 911',
      input: { number: '911*', direction: 'outbound' },
      expect: bad('number', /911 can never be blocked/),
    },
    {
      what: 'the same pattern twice',
      input: async (fx) => {
        await create(fx, 'call-blocks', { number: '877*', direction: 'outbound' });
        return { number: '877*', direction: 'outbound' };
      },
      expect: bad('number', /already blocked for outbound calls/),
    },
    {
      what: 'the same number and direction twice',
      input: async (fx) => {
        await create(fx, 'call-blocks', { number: '8005550199', direction: 'inbound' });
        return { number: '8005550199', direction: 'inbound' };
      },
      expect: bad('number', /already blocked for inbound calls/),
    },
    { what: 'the same number the other way', input: { number: '8005550199', direction: 'outbound' }, expect: ok },
    {
      what: 'blocking outbound 911',
      input: { number: '911', direction: 'outbound' },
      expect: bad('number', /911 can never be blocked/),
    },
    { what: 'blocking inbound from 911', input: { number: '911', direction: 'inbound' }, expect: ok },
    { what: 'unknown direction', input: { direction: 'both' }, expect: bad('direction', /inbound, outbound/) },
    { what: 'no direction', input: { direction: '' }, expect: bad('direction', /inbound, outbound/) },
    { what: 'a comment', input: { comment: 'Robocaller (reported)' }, expect: ok },
    { what: 'a comment of 201 characters', input: { comment: 'x'.repeat(201) }, expect: bad('comment', /at most 200/) },
  ],

  trunks: [
    {
      what: 'accepts a valid trunk: port 5060 over UDP',
      input: { username: 'acme', password: 's3cret.pw', register: true },
      expect: ok,
      saved: (r) => {
        expect(r).to.deep.include({ port: 5060, transport: 'udp', register: true });
        expect(r, 'the password is never returned').to.not.have.property('password');
      },
    },
    { what: 'a name with capitals and space', input: { name: 'My Trunk' }, expect: bad('name', /a-z, 0-9 and _/) },
    {
      what: 'a name already used',
      input: async (fx) => {
        await create(fx, 'trunks', { name: 'carrier', host: 'sip.example.com' });
        return { name: 'carrier' };
      },
      expect: bad('name', /already named "carrier"/),
    },
    { what: 'a host with a space', input: { host: 'sip example.com' }, expect: bad('host', /host name or IPv4/) },
    { what: 'port 0', input: { port: 0 }, expect: bad('port', /between 1 and 65535/) },
    { what: 'port 65536', input: { port: 65536 }, expect: bad('port', /between 1 and 65535/) },
    { what: 'TLS', input: { transport: 'tls', port: 5061 }, expect: ok },
    { what: 'unknown transport', input: { transport: 'sctp' }, expect: bad('transport', /udp, tcp, tls/) },
    {
      what: 'registration without credentials',
      input: { register: true },
      expect: bad('register', /needs a username and password/),
    },
    { what: 'a username with a space', input: { username: 'a b' }, expect: bad('username', /letters, digits and/) },
    { what: 'a password as a number', input: { password: 12345 }, expect: bad('password', /letters, digits and/) },
    { what: 'a prefix with letters', input: { prefix: '9a' }, expect: bad('prefix', /digits only/) },
    { what: 'a prefix of 9 digits', input: { prefix: '123456789' }, expect: bad('prefix', /1 to 8 digits/) },
  ],
};

forEachEngine('field rules of every kind', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  for (const [kind, cases] of Object.entries(TABLE)) {
    describe(kind, () => {
      for (const c of cases) {
        const label = c.expect === 'ok' ? `accepts: ${c.what}` : `refuses: ${c.what} (${c.expect[0]})`;
        it(label, async () => {
          const pbx = c.inB ? fx.b : A(fx);
          const base = await validInput(kind, fx, pbx);
          let input = typeof c.input === 'function' ? await c.input(fx) : c.input;
          let save: () => Promise<Input>;
          if (c.update) {
            const existing = await create(fx, kind, base, pbx);
            input = JSON.parse(JSON.stringify(input).replaceAll('SELF', String(existing.id)));
            save = () => fx.s.objects.update(SYSTEM, pbx.pbx.id, kind, existing.id as number, input as Input);
          } else save = () => create(fx, kind, { ...base, ...input }, pbx);
          if (c.expect === 'ok') {
            const row = await save();
            await c.saved?.(row, fx);
            return;
          }
          const [field, message] = c.expect;
          await expectUnchanged(fx.s, fx.pbxIds, async () => {
            await expectInvalid(save(), field, message);
          });
        });
      }
    });
  }

  describe('partial updates of nested settings', () => {
    it('changing one routing choice or one Find Me setting keeps the others', async () => {
      const other = fx.a.ext['202'].id;
      const ext = await create(fx, 'extensions', {
        ...(await validInput('extensions', fx)),
        routing: { tryFirst: 'find_me', ifOffline: `extension:${other}` },
        findMe: { locations: [{ type: 'outside_number', number: '3125550142' }], ringSeconds: 25 },
      });
      const id = ext.id as number;
      const o = fx.s.objects;
      const r1 = await o.update(SYSTEM, fx.a.pbx.id, 'extensions', id, { routing: { ifBusy: 'check_voicemail' } });
      expect(r1.routing).to.deep.include({
        tryFirst: { kind: 'find_me' },
        ifBusy: { kind: 'check_voicemail' },
        ifOffline: { kind: 'extension', id: other },
      });
      const r2 = await o.update(SYSTEM, fx.a.pbx.id, 'extensions', id, { findMe: { ringSeconds: 15 } });
      expect((r2.findMe as Input).ringSeconds).to.equal(15);
      expect((r2.findMe as Input).locations).to.deep.equal([
        { active: true, type: 'outside_number', number: '3125550142' },
      ]);
      // An explicit null puts one choice back to its default.
      const r3 = await o.update(SYSTEM, fx.a.pbx.id, 'extensions', id, { routing: { tryFirst: null } });
      expect((r3.routing as Input).tryFirst).to.deep.equal({ kind: 'phone' });
    });
  });

  describe('every error at once', () => {
    it('reports all broken fields of one save together', async () => {
      const err = await expectInvalid(
        create(fx, 'extensions', { number: 'x', name: '', e911LocationId: null, secondsToRing: 0 }),
        'number',
      );
      expect(Object.keys(err.fields).sort()).to.deep.equal(['e911LocationId', 'name', 'number', 'secondsToRing']);
    });

    it('an E911 location needs its own phone number; a fresh one works', async () => {
      const callbackNumberId = await newNumber(fx);
      const row = await create(fx, 'e911', { ...(await validInput('e911', fx)), callbackNumberId });
      expect(row.callbackNumberId).to.equal(callbackNumberId);
    });
  });
});
