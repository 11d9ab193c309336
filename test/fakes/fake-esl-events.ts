// Events the fake event socket can push: captured fixture frames (sent verbatim when the format matches) or built ones.

import { type EslEvent, isEventFrame, parseEventFrame } from '../../src/freeswitch/event-socket/event';
import { contentTypeOf } from '../../src/freeswitch/event-socket/frame';
import { type EventHeaders, eventFrame, serializeJsonEventBody, serializePlainEventBody } from './esl-event-serializer';
import { eslFixtureFrames, readEslFixture } from './esl-fixtures';

/** An event to push: a fixture file name, a decoded event, or headers (+ body) in FreeSWITCH order. */
export type PushableEvent = string | EslEvent | { readonly headers: EventHeaders; readonly body?: string };

/** A decoded event plus, for captures, the exact bytes FreeSWITCH sent. */
export interface EventToPush {
  readonly event: EslEvent;
  readonly raw?: Buffer;
}

export function eventsToPush(source: PushableEvent): EventToPush[] {
  if (typeof source === 'string') {
    const bytes = readEslFixture(source);
    const frames = eslFixtureFrames(source).filter(isEventFrame);
    if (frames.length === 1 && bytes.length > 0) return [{ event: parseEventFrame(frames[0]!), raw: bytes }];
    return frames.map((frame) => ({
      event: parseEventFrame(frame),
      raw: Buffer.concat([
        Buffer.from(`Content-Length: ${frame.body.length}\nContent-Type: ${contentTypeOf(frame)}\n\n`),
        frame.body,
      ]),
    }));
  }
  if ('name' in source && 'headerList' in source) return [{ event: source }];
  const headers: Record<string, string> = {};
  for (const [name, value] of source.headers) headers[name] = value;
  const event: EslEvent = {
    name: headers['Event-Name'] ?? '',
    subclass: headers['Event-Subclass'],
    headers,
    headerList: source.headers.map(([name, value]) => ({ name, value })),
    body: source.body,
    format: 'plain',
  };
  return [{ event }];
}

/** Captured bytes go out untouched when the formats match; otherwise FreeSWITCH's serializer is re-applied. */
export function serializeFor(item: EventToPush, format: 'plain' | 'json' | 'xml'): Buffer | undefined {
  if (format === 'xml') return undefined; // never used by Dialtone; not modelled
  if (item.raw && item.event.format === format) return item.raw;
  const { event } = item;
  const pairs = event.headerList
    .filter((h) => !(event.body !== undefined && h.name === 'Content-Length'))
    .map((h) => [h.name, h.value] as const);
  return format === 'plain'
    ? eventFrame('plain', serializePlainEventBody(pairs, event.body))
    : eventFrame('json', serializeJsonEventBody(pairs, event.body));
}
