// OpenAPI path items and schemas of the Voicemail API (voicemail-api.ts): the Voicemail page as JSON — mailboxes with
// counts, a folder's messages, one message, mark saved or new, delete, the recording. Messages are FreeSWITCH's.
import { answer, errors } from './paths';
import { type JsonSchema, ref } from './shapes';

const str = { type: 'string' };
const int = { type: 'integer' };
const FOLDER = { enum: ['new', 'saved'] };

export const VOICEMAIL_SCHEMAS: Record<string, JsonSchema> = {
  VoicemailMailbox: {
    type: 'object',
    description: "A mailbox the token's user may open, with its message counts.",
    properties: { id: int, number: str, name: str, newCount: int, savedCount: int },
    required: ['id', 'number', 'name', 'newCount', 'savedCount'],
    additionalProperties: false,
  },
  VoicemailMailboxList: {
    type: 'object',
    properties: { mailboxes: { type: 'array', items: ref('VoicemailMailbox') } },
    required: ['mailboxes'],
    additionalProperties: false,
  },
  VoicemailMessage: {
    type: 'object',
    description: 'One message. callerName is as FreeSWITCH stored it (may be empty, or any text: escape it).',
    properties: {
      id: { ...str, description: "FreeSWITCH's message uuid." },
      mailboxId: int,
      folder: FOLDER,
      callerName: str,
      callerNumber: str,
      receivedAt: { ...str, description: 'ISO 8601, UTC.' },
      receivedLocal: { ...str, description: 'YYYY-MM-DDTHH:MM in the PBX time zone.' },
      heardAt: { type: ['string', 'null'], description: 'ISO 8601, UTC; null while unheard.' },
      durationSeconds: int,
    },
    required: [
      'id',
      'mailboxId',
      'folder',
      'callerName',
      'callerNumber',
      'receivedAt',
      'receivedLocal',
      'heardAt',
      'durationSeconds',
    ],
    additionalProperties: false,
  },
  VoicemailMessageList: {
    type: 'object',
    properties: { messages: { type: 'array', items: ref('VoicemailMessage') } },
    required: ['messages'],
    additionalProperties: false,
  },
  VoicemailFolderChange: {
    type: 'object',
    description: 'Marks the message saved (heard) or new again.',
    properties: { folder: FOLDER },
    required: ['folder'],
    additionalProperties: false,
  },
};

const context = { $ref: '#/components/parameters/Context' };
const mailbox = {
  name: 'mailbox',
  in: 'path',
  required: true,
  description: "The mailbox's id (as in the mailboxes list).",
  schema: { type: 'integer', minimum: 1 },
};
const message = {
  name: 'message',
  in: 'path',
  required: true,
  description: "The message's uuid.",
  schema: { type: 'string', format: 'uuid' },
};
const unavailable = {
  '503': answer('No connection to FreeSWITCH is configured, or FreeSWITCH did not answer.', ref('Error')),
};
const WHO =
  "Needs the voicemail permission (403 without it). An employee sees only their own extension's mailboxes; anyone " +
  "else's mailbox or message is 404.";

/** One voicemail operation: every one has the same tag, the same access rule and the same 503. */
function op(operationId: string, summary: string, responses: JsonSchema, extra: JsonSchema = {}): JsonSchema {
  return {
    operationId,
    tags: ['voicemail'],
    summary,
    description: WHO,
    ...extra,
    responses: { ...responses, ...unavailable },
  };
}

export const VOICEMAIL_PATHS: Record<string, JsonSchema> = {
  '/pbxs/{context}/voicemail': {
    parameters: [context],
    get: op('listVoicemailMailboxes', 'Mailboxes with their new and saved message counts', {
      '200': answer('The mailboxes.', ref('VoicemailMailboxList')),
      ...errors('401', '403', '404'),
    }),
  },
  '/pbxs/{context}/voicemail/{mailbox}': {
    parameters: [context, mailbox],
    get: op(
      'listVoicemailMessages',
      "A mailbox's messages, newest first",
      { '200': answer('The messages.', ref('VoicemailMessageList')), ...errors('401', '403', '404', '422') },
      {
        parameters: [
          {
            name: 'folder',
            in: 'query',
            required: false,
            description: 'Only this folder (default both).',
            schema: FOLDER,
          },
        ],
      },
    ),
  },
  '/pbxs/{context}/voicemail/{mailbox}/messages/{message}': {
    parameters: [context, mailbox, message],
    get: op('getVoicemailMessage', 'One message', {
      '200': answer('The message.', ref('VoicemailMessage')),
      ...errors('401', '403', '404'),
    }),
    patch: op(
      'moveVoicemailMessage',
      'Mark a message saved or new',
      {
        '200': answer('The message as it is now.', ref('VoicemailMessage')),
        ...errors('400', '401', '403', '404', '413', '415', '422'),
      },
      { requestBody: { required: true, content: { 'application/json': { schema: ref('VoicemailFolderChange') } } } },
    ),
    delete: op('deleteVoicemailMessage', 'Delete a message', {
      '204': { description: 'Deleted.' },
      ...errors('401', '403', '404'),
    }),
  },
  '/pbxs/{context}/voicemail/{mailbox}/messages/{message}/audio': {
    parameters: [context, mailbox, message],
    get: op(
      'getVoicemailAudio',
      "The message's recording (WAV); byte ranges supported",
      {
        '200': { description: 'The whole recording.', content: { 'audio/wav': { schema: { type: 'string' } } } },
        '206': { description: 'The range asked for.', content: { 'audio/wav': { schema: { type: 'string' } } } },
        '416': { description: 'The range lies outside the recording (Content-Range: bytes */SIZE).' },
        ...errors('401', '403', '404'),
      },
      {
        parameters: [
          { name: 'Range', in: 'header', required: false, description: 'bytes=START-END', schema: { type: 'string' } },
        ],
      },
    ),
  },
};
