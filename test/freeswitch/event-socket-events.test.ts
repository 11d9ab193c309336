// Decoding captured FreeSWITCH events (plain with URL-encoded values, json) into EslEvent.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { EslProtocolError } from '../../src/freeswitch/event-socket/errors';
import { isEventFrame, parseEventFrame, parsePlainEvent } from '../../src/freeswitch/event-socket/event';
import { EslFrameParser } from '../../src/freeswitch/event-socket/frame-parser';
import { eslFixtureFrames, listEslFixtures } from '../fakes/esl-fixtures';
import { FREESWITCH_EVENT_NAMES } from '../fakes/fake-esl-protocol';

function eventFrom(file: string) {
  const frames = eslFixtureFrames(file);
  expect(frames).to.have.length(1);
  return parseEventFrame(frames[0]!);
}

describe('ESL events', () => {
  const eventFiles = listEslFixtures().filter((f) => eslFixtureFrames(f).some(isEventFrame));

  it('finds the captured event files', () => {
    expect(eventFiles.length).to.be.greaterThanOrEqual(19);
  });

  for (const file of eventFiles) {
    it(`${file}: every frame decodes to a known FreeSWITCH event`, () => {
      for (const frame of eslFixtureFrames(file).filter(isEventFrame)) {
        const event = parseEventFrame(frame);
        expect(FREESWITCH_EVENT_NAMES.has(event.name), event.name).to.equal(true);
        // Two FreeSWITCH instances made the captures (the shared set, and Dialtone's own vm::maintenance ones).
        expect(event.headers['Core-UUID']).to.be.oneOf([
          '142636ca-4c54-4f6c-a8fa-c4403f01dfa8',
          '1009b578-32c0-4fce-afc4-5b56a657c9ba',
        ]);
      }
    });
  }

  it('URL-decodes plain values (Event-Subclass, IPv6, dates)', () => {
    const event = eventFrom('esl-event-plain-CUSTOM-sofia_register.txt');
    expect(event.name).to.equal('CUSTOM');
    expect(event.subclass).to.equal('sofia::register');
    expect(event.format).to.equal('plain');
    expect(event.headers['FreeSWITCH-IPv6']).to.equal('::1');
    expect(event.headers['Event-Date-GMT']).to.match(/^Wed, 25 Nov 2026 18:\d\d:\d\d GMT$/);
  });

  it('reads callcenter::info agent changes', () => {
    const event = eventFrom('esl-event-plain-CUSTOM-callcenter_info.txt');
    expect(event.subclass).to.equal('callcenter::info');
    expect(event.headers['CC-Agent']).to.equal('agent1@acme.pbx.test');
    expect(event.headers['CC-Action']).to.equal('agent-status-change');
    expect(event.headers['CC-Agent-Status']).to.equal('Available');
    expect(event.body).to.equal(undefined);
  });

  it('reads the queue events a Dialtone queue call produces (captured on a generated tree)', () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'freeswitch', 'dialtone-tree', 'esl');
    const actions = [
      'member-queue-start',
      'agent-offering',
      'bridge-agent-start',
      'bridge-agent-end',
      'agent-status-change',
    ];
    for (const action of actions) {
      const frames = new EslFrameParser().push(
        readFileSync(join(dir, `esl-event-plain-CUSTOM-callcenter_info-${action}.txt`)),
      );
      expect(frames, action).to.have.length(1);
      const event = parseEventFrame(frames[0]!);
      expect(event.subclass, action).to.equal('callcenter::info');
      expect(event.headers['CC-Action'], action).to.equal(action);
      if (action === 'agent-status-change') expect(event.headers['CC-Agent']).to.equal('204@acme.e2e.test');
      else expect(event.headers['CC-Queue'], action).to.equal('acme_600@acme.e2e.test');
    }
  });

  it('separates a BACKGROUND_JOB inner body from its headers', () => {
    const event = eventFrom('esl-bgapi-status-BACKGROUND_JOB.txt');
    expect(event.name).to.equal('BACKGROUND_JOB');
    expect(event.headers['Job-UUID']).to.equal('f87416f5-7452-46f9-92b1-b7008722350a');
    expect(event.headers['Job-Command']).to.equal('status');
    expect(event.body).to.have.length(338);
    expect(event.body!.startsWith('UP 0 years, 0 days, 0 hours, 0 minutes, 18 seconds')).to.equal(true);
    expect(event.body!.endsWith('Current Stack Size/Max 240K/8192K\n')).to.equal(true);
  });

  it('gives the same headers for the plain and json captures of one CHANNEL_ANSWER', () => {
    const plain = eventFrom('esl-event-plain-CHANNEL_ANSWER.txt');
    const json = eventFrom('esl-event-json-CHANNEL_ANSWER.txt');
    expect(json.format).to.equal('json');
    expect(json.headers).to.deep.equal(plain.headers);
    expect(plain.headers.variable_DP_MATCH).to.equal('ARRAY::1001|:1001');
    expect(plain.headers.variable_ringback).to.equal('%(2000,4000,440,480)');
  });

  it('keeps repeated headers in headerList (CHANNEL_HANGUP_COMPLETE repeats Hangup-Cause)', () => {
    const event = eventFrom('esl-event-plain-CHANNEL_HANGUP_COMPLETE-bleg.txt');
    expect(event.headerList.filter((h) => h.name === 'Hangup-Cause')).to.have.length(2);
    expect(event.headers['Hangup-Cause']).to.equal('NORMAL_CLEARING');
  });

  it('decodes the whole answered-call stream in order', () => {
    const events = eslFixtureFrames('esl-event-plain-stream-answered-call.txt').map(parseEventFrame);
    expect(events).to.have.length(107);
    expect(events[0]!.name).to.equal('CHANNEL_CREATE');
    const names = new Set(events.map((e) => e.name));
    for (const name of ['CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']) {
      expect(names.has(name), name).to.equal(true);
    }
  });

  it('links the legs: the b-leg answer names the a-leg in Other-Leg-Unique-ID', () => {
    const aLeg = eventFrom('esl-event-plain-CHANNEL_ANSWER.txt');
    const bLeg = eventFrom('esl-event-plain-CHANNEL_ANSWER-bleg.txt');
    expect(aLeg.headers['Other-Leg-Unique-ID']).to.equal(undefined);
    expect(bLeg.headers['Other-Leg-Unique-ID']).to.equal(aLeg.headers['Unique-ID']);
  });

  describe('hostile or broken bodies', () => {
    it('keeps a value with a stray % as sent', () => {
      const event = parsePlainEvent(Buffer.from('Event-Name: CUSTOM\nX-Odd: 100%zz\n\n'));
      expect(event.headers['X-Odd']).to.equal('100%zz');
    });

    it('rejects an event without Event-Name', () => {
      expect(() => parsePlainEvent(Buffer.from('Core-UUID: x\n\n'))).to.throw(EslProtocolError);
    });

    it('rejects an inner Content-Length longer than the body', () => {
      expect(() => parsePlainEvent(Buffer.from('Event-Name: BACKGROUND_JOB\nContent-Length: 50\n\nshort'))).to.throw(
        EslProtocolError,
      );
    });

    it('rejects json that is not an object', () => {
      const frame = {
        headers: [{ name: 'Content-Type', value: 'text/event-json' }],
        body: Buffer.from('[1,2]'),
      };
      expect(() => parseEventFrame(frame)).to.throw(EslProtocolError);
      expect(() => parseEventFrame({ ...frame, body: Buffer.from('{"Event-Name":') })).to.throw(EslProtocolError);
    });

    it('refuses to decode a non-event frame', () => {
      expect(() => parseEventFrame(eslFixtureFrames('esl-api-reloadxml.txt')[0]!)).to.throw(EslProtocolError);
    });
  });
});
