// Public surface of the FreeSWITCH event-socket layer: import from here, not from the files inside.

export { type ApiRunner, type BackgroundApiRunner, expectNoError, expectOk, isErrorReply } from './api-reply';
export {
  domainName,
  profileName,
  qualifiedName,
  userAtDomain,
  userId,
  uuid,
} from './arguments';
export { type BackoffOptions, backoffDelay, backoffPolicy } from './backoff';
export {
  AGENT_STATUSES,
  type AgentStatus,
  agentStatus,
  agentStatusCommand,
  type CallcenterAgent,
  parseAgentStatus,
  parseAgentTable,
  queueAgents,
  queueAgentsCommand,
  setAgentStatus,
  setAgentStatusCommand,
} from './callcenter-commands';
export {
  type EslCallOptions,
  EslClient,
  type EslClientOptions,
  type EslClientState,
  type EslEventListener,
  type EslStatus,
} from './client';
export { assertSafeCommandText } from './command';
export {
  type OriginateDestination,
  type OriginateRequest,
  type OriginateResult,
  originate,
  originateCommand,
  parseOriginate,
  parseUserExists,
  RELOADABLE_MODULES,
  type ReloadableModule,
  reloadModule,
  reloadXml,
  userExists,
  userExistsCommand,
} from './core-commands';
export {
  EslApiError,
  EslArgumentError,
  EslAuthError,
  EslCommandRefusedError,
  EslConnectError,
  EslDisconnectedError,
  EslError,
  EslProtocolError,
  EslReplyFormatError,
  EslTimeoutError,
} from './errors';
export { type EslEvent, type EslEventFormat, parseEventFrame } from './event';
export { type EslFrame, type EslHeader, getHeader } from './frame';
export { EslFrameParser, type EslFrameParserOptions } from './frame-parser';
export {
  EslFreeswitchControl,
  type EslFreeswitchControlOptions,
  eventMatcher,
  type FreeswitchControl,
} from './freeswitch-control';
export { hashInsert, hashInsertCommand, hashSelect, hashSelectCommand } from './hash-commands';
export {
  type CannedReply,
  makeEvent,
  type RecordedCall,
  RecordingFreeswitchControl,
  type RecordingFreeswitchControlOptions,
} from './recording-freeswitch-control';
export {
  checkSync,
  checkSyncCommand,
  type EventSender,
  listRegistrations,
  notifyPhone,
  type PhoneNotify,
  parseRegistrations,
  parseSofiaContact,
  phoneNotifyHeaders,
  type Registration,
  SHOW_REGISTRATIONS_COMMAND,
  sofiaContact,
  sofiaContactCommand,
} from './sofia-commands';
export {
  boxCountCommand,
  type Mailbox,
  MESSAGE_ACTIONS,
  type MessageAction,
  markReadCommand,
  messageActionCommand,
  messageCountCommand,
  messageGetCommand,
  messageListCommand,
  parseBoxCountAll,
  parseBoxCountNew,
  parseMessageCount,
  parseMessageGet,
  parseMessageList,
  purgeCommand,
  VOICEMAIL_LIST_FILTERS,
  type VoicemailCounts,
  type VoicemailListFilter,
  type VoicemailMessage,
  voicemailBoxCount,
  voicemailMarkRead,
  voicemailMessage,
  voicemailMessageAction,
  voicemailMessageCount,
  voicemailMessageList,
  voicemailPurge,
} from './voicemail-commands';
export { type LeftMessage, leftMessage, VOICEMAIL_EVENTS } from './voicemail-events';
export {
  parseVoicemailList,
  type VoicemailList,
  type VoicemailListEntry,
  voicemailDelete,
  voicemailDeleteCommand,
  voicemailList,
  voicemailListCommand,
} from './voicemail-list';
