// OpenAPI path items and schemas of the Activity API (/calls, /calls/graph, /calls/path-usage): the query parameters
// are the portal's (services/activity/query.ts), the answers services.activity's own shapes.
import { answer, errors } from './paths';
import { type JsonSchema, ref } from './shapes';

const q = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const WHEN = 'A date (YYYY-MM-DD, the whole day) or a date and time (YYYY-MM-DDTHH:MM[:SS]) in the PBX time zone';
const DIRECTION = q('direction', 'Call type (default both: every call)', {
  enum: ['incoming', 'outgoing', 'internal', 'both'],
});
const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer' };
const ints = { type: 'array', items: int };

export const ACTIVITY_SCHEMAS: Record<string, JsonSchema> = {
  Call: {
    type: 'object',
    description: 'One call; times are ISO 8601 in the PBX time zone (local time and its offset).',
    properties: {
      id: int,
      uuid: str,
      direction: { enum: ['incoming', 'outgoing', 'internal'] },
      start: str,
      answer: strOrNull,
      end: str,
      durationSec: int,
      billSec: int,
      disposition: str,
      hangupCause: str,
      callerExtension: strOrNull,
      calleeExtension: strOrNull,
      callerNumber: str,
      callerName: strOrNull,
      destination: str,
      calleeNumber: strOrNull,
      calleeName: strOrNull,
      phoneNumber: strOrNull,
      remoteNumber: strOrNull,
      route: strOrNull,
    },
    required: ['id', 'uuid', 'direction', 'start', 'end', 'durationSec', 'disposition'],
  },
  CallPage: {
    type: 'object',
    properties: {
      timezone: str,
      query: { type: 'object', description: 'The query as read (from/to as given, the instants they mean).' },
      calls: { type: 'array', items: ref('Call') },
      nextCursor: { ...strOrNull, description: 'Pass as cursor for the next (older) page; null on the last page.' },
    },
    required: ['timezone', 'query', 'calls', 'nextCursor'],
  },
  CallGraph: {
    type: 'object',
    properties: {
      timezone: str,
      by: { enum: ['day', 'hour'] },
      fromDate: str,
      toDate: str,
      direction: str,
      buckets: {
        type: 'array',
        items: {
          type: 'object',
          properties: { start: str, label: str, incoming: int, outgoing: int, internal: int },
          required: ['start', 'label', 'incoming', 'outgoing', 'internal'],
        },
      },
      totals: { type: 'object', properties: { incoming: int, outgoing: int, internal: int } },
      series: {
        type: 'object',
        properties: { labels: { type: 'array', items: str }, incoming: ints, outgoing: ints, internal: ints },
      },
    },
    required: ['timezone', 'by', 'fromDate', 'toDate', 'buckets', 'totals', 'series'],
  },
  PathUsage: {
    type: 'object',
    properties: {
      timezone: str,
      zoom: { enum: ['day', 'week', 'month'] },
      startDate: str,
      endDate: { ...str, description: 'The day after the last day shown.' },
      paths: { type: 'object', properties: { prepaid: int, onDemand: int, total: int } },
      buckets: {
        type: 'array',
        items: {
          type: 'object',
          properties: { start: str, label: str, max: int },
          required: ['start', 'label', 'max'],
        },
      },
      peak: { type: 'object', properties: { value: int, at: strOrNull } },
      series: { type: 'object', properties: { labels: { type: 'array', items: str }, max: ints } },
    },
    required: ['timezone', 'zoom', 'startDate', 'endDate', 'paths', 'buckets', 'peak', 'series'],
  },
};

const context = { $ref: '#/components/parameters/Context' };

export const ACTIVITY_PATHS: Record<string, JsonSchema> = {
  '/pbxs/{context}/calls': {
    parameters: [context],
    get: {
      operationId: 'searchCalls',
      tags: ['activity'],
      summary: 'Search calls (Activity), newest first, in keyset pages',
      description:
        "Needs the `activity` module. An employee sees only their own extension's calls. Same parameters as the portal's Activity page and its CSV export.",
      parameters: [
        q('from', `${WHEN}; inclusive`),
        q('to', `${WHEN}; the whole day, minute or second given is included`),
        DIRECTION,
        q('extension', 'Calls made or answered by this extension'),
        q('number', 'A phone number (3 to 15 digits; +, spaces, dashes ignored)'),
        q('limit', 'Calls per page (1–500, default 50)', { type: 'integer', minimum: 1, maximum: 500 }),
        q('cursor', 'nextCursor of the previous page'),
      ],
      responses: { '200': answer('One page of calls.', ref('CallPage')), ...errors('401', '403', '404', '422') },
    },
  },
  '/pbxs/{context}/calls/graph': {
    parameters: [context],
    get: {
      operationId: 'callGraph',
      tags: ['activity'],
      summary: 'Calls per local day or hour by type (Activity Graph)',
      description: "Needs the `activity` module. An employee's counts are of their own extension.",
      parameters: [
        q('from', 'First local date (YYYY-MM-DD; default 6 days before to)'),
        q('to', 'Last local date (YYYY-MM-DD; default today)'),
        q('by', 'Bucket (default day; hour for up to 92 days)', { enum: ['day', 'hour'] }),
        DIRECTION,
      ],
      responses: { '200': answer('Counts per bucket.', ref('CallGraph')), ...errors('401', '403', '404', '422') },
    },
  },
  '/pbxs/{context}/calls/path-usage': {
    parameters: [context],
    get: {
      operationId: 'pathUsage',
      tags: ['activity'],
      summary: 'Concurrent outside calls against the call paths (Path Usage)',
      description: 'Administrators only (a PBX-wide figure).',
      parameters: [
        q('zoom', 'day by minute, week by hour, month by day (default day)', { enum: ['day', 'week', 'month'] }),
        q('start', 'First local date shown (YYYY-MM-DD)'),
      ],
      responses: {
        '200': answer('Most concurrent calls per bucket and the peak.', ref('PathUsage')),
        ...errors('401', '403', '404', '422'),
      },
    },
  },
};
