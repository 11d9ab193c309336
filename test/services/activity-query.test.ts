// The one parser of Activity's query strings (page, API, CSV): what each value means in the PBX zone, and a clear
// message for each bad one. Graph and Path Usage parsers too.
import { expect } from 'chai';
import { ValidationError } from '../../src/domain/errors';
import {
  encodeCursor,
  parseActivityQuery,
  parseGraphQuery,
  parsePathUsageQuery,
} from '../../src/services/activity/query';
import { describeRoute } from '../../src/services/activity/routes';

const CHI = 'America/Chicago';
const iso = (d: Date | null) => d?.toISOString() ?? null;

function fields(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  expect.fail('expected a ValidationError');
}

describe('Activity query strings', () => {
  it('reads dates as whole local days, whatever their length (8 March 2026 has 23 hours in Chicago)', () => {
    const q = parseActivityQuery({ from: '2026-03-08', to: '2026-03-08' }, CHI);
    expect(iso(q.from)).to.equal('2026-03-08T06:00:00.000Z');
    expect(iso(q.to)).to.equal('2026-03-09T05:00:00.000Z');
    const fall = parseActivityQuery({ from: '2026-11-01', to: '2026-11-01' }, CHI);
    expect(((fall.to as Date).getTime() - (fall.from as Date).getTime()) / 3_600_000).to.equal(25);
    expect(q).to.include({ direction: 'both', extension: null, number: null, cursor: null, limit: 50 });
    expect(q).to.include({ fromText: '2026-03-08', toText: '2026-03-08' });
  });

  it('reads date-times in the PBX zone, `to` inclusive at the precision given; Z or an offset is absolute', () => {
    const q = parseActivityQuery({ from: '2026-03-08T01:30', to: '2026-03-08 03:15:20' }, CHI);
    expect(iso(q.from)).to.equal('2026-03-08T07:30:00.000Z');
    expect(iso(q.to)).to.equal('2026-03-08T08:15:21.000Z');
    expect(iso(parseActivityQuery({ to: '2026-03-08T03:15' }, CHI).to)).to.equal('2026-03-08T08:16:00.000Z');
    expect(iso(parseActivityQuery({ from: '2026-03-08T12:00:00Z' }, CHI).from)).to.equal('2026-03-08T12:00:00.000Z');
    expect(iso(parseActivityQuery({ from: '2026-03-08T12:00+01:00' }, CHI).from)).to.equal('2026-03-08T11:00:00.000Z');
  });

  it('reads direction, extension, number (normalised), limit and cursor', () => {
    const cursor = encodeCursor({ startedAt: 1772953200000, id: 42 });
    const q = parseActivityQuery(
      { direction: 'Incoming', extension: '201', number: '+1 (312) 555-1000', limit: '25', cursor },
      CHI,
    );
    expect(q).to.deep.include({
      direction: 'incoming',
      extension: '201',
      number: '3125551000',
      limit: 25,
      cursor: { startedAt: 1772953200000, id: 42 },
    });
    expect(parseActivityQuery({ number: '011 44 20 7946 0958' }, CHI).number).to.equal('442079460958');
    expect(parseActivityQuery({ direction: 'internal', from: '', to: '  ' }, CHI)).to.include({
      direction: 'internal',
      from: null,
      to: null,
    });
  });

  it('names every bad field with a message a person can act on', () => {
    const errors = fields(() =>
      parseActivityQuery(
        {
          from: '2026-02-30',
          to: 'yesterday',
          direction: 'sideways',
          extension: '1',
          number: '12',
          limit: '5000',
          cursor: 'not-a-cursor!',
        },
        CHI,
      ),
    );
    expect(errors).to.deep.equal({
      from: 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS]) in the PBX time zone',
      to: 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS]) in the PBX time zone',
      direction: 'must be incoming, outgoing, internal or both',
      extension: 'must be an extension number (2 to 6 digits)',
      number: 'must be a phone number: 3 to 15 digits (spaces, +, -, ( ) and . are ignored)',
      limit: 'must be a whole number from 1 to 500',
      cursor: 'is not a page of this list (start again from the first page)',
    });
    expect(fields(() => parseActivityQuery({ from: '2026-03-09', to: '2026-03-08' }, CHI))).to.deep.equal({
      to: 'must not be before from',
    });
    expect(fields(() => parseActivityQuery({ to: ['2026-03-08', '2026-03-09'] }, CHI))).to.deep.equal({
      to: 'is given more than once',
    });
    expect(fields(() => parseActivityQuery({ number: '${system(id)}', extension: { $ne: 1 } }, CHI))).to.have.keys(
      'number',
      'extension',
    );
    expect(fields(() => parseActivityQuery({ from: '2026-03-08T24:00' }, CHI))).to.have.keys('from');
  });

  it('Activity Graph: the last 7 days by day by default, by hour at most 92 days', () => {
    const now = Date.parse('2026-03-08T18:00:00Z');
    expect(parseGraphQuery({}, CHI, now)).to.deep.equal({
      fromDate: '2026-03-02',
      toDate: '2026-03-08',
      by: 'day',
      direction: 'both',
    });
    expect(parseGraphQuery({ from: '2026-01-01', to: '2026-03-31', by: 'hour' }, CHI, now).by).to.equal('hour');
    expect(fields(() => parseGraphQuery({ from: '2026-01-01', to: '2026-06-30', by: 'hour' }, CHI, now))).to.deep.equal(
      {
        to: 'is more than 92 days after from (by hour)',
      },
    );
    expect(fields(() => parseGraphQuery({ by: 'week', from: '2026-3-1' }, CHI, now))).to.have.keys('by', 'from');
  });

  it('Path Usage: a day, 7 days or a month from the start date; by default the window ending today', () => {
    const now = Date.parse('2026-03-31T18:00:00Z');
    expect(parsePathUsageQuery({}, CHI, now)).to.deep.equal({
      zoom: 'day',
      startDate: '2026-03-31',
      endDate: '2026-04-01',
    });
    expect(parsePathUsageQuery({ zoom: 'week' }, CHI, now)).to.include({
      startDate: '2026-03-25',
      endDate: '2026-04-01',
    });
    expect(parsePathUsageQuery({ zoom: 'month' }, CHI, now)).to.include({
      startDate: '2026-03-01',
      endDate: '2026-04-01',
    });
    expect(parsePathUsageQuery({ zoom: 'month', start: '2026-01-31' }, CHI, now).endDate).to.equal('2026-03-01');
    expect(parsePathUsageQuery({ zoom: 'month', start: '2026-02-10' }, CHI, now).endDate).to.equal('2026-03-10');
    expect(fields(() => parsePathUsageQuery({ zoom: 'year', start: 'soon' }, CHI, now))).to.have.keys('zoom', 'start');
  });
});

describe('Activity routes in words', () => {
  it('names the phone number, the holiday branch and the outbound routes', () => {
    const snap = { phoneNumbers: [{ id: 12, number: '3125551000' }] } as unknown as Parameters<typeof describeRoute>[1];
    expect(describeRoute('did_12', snap)).to.equal('Phone number 3125551000');
    expect(describeRoute('did_12_holiday', snap)).to.equal('Phone number 3125551000 (holiday routing)');
    expect(describeRoute('did_99', snap)).to.equal('A phone number since deleted');
    expect(describeRoute('outbound_nanp', snap)).to.equal('Outbound (US/Canada)');
    expect(describeRoute('custom_thing', snap)).to.equal('custom_thing');
    expect(describeRoute(null, snap)).to.equal(null);
  });
});
