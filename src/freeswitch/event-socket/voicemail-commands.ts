// mod_voicemail over the event socket: counts, message lists and details, and the changes the portal makes.

import { type ApiRunner, expectOk, integerField, parseJsonBody } from './api-reply';
import { domainName, oneOf, profileName, userAtDomain, userId, uuid } from './arguments';
import { EslReplyFormatError } from './errors';

/** A mailbox: directory user, PBX domain, voicemail profile (vanilla's is `default`). */
export interface Mailbox {
  readonly user: string;
  readonly domain: string;
  readonly profile?: string;
}

export interface VoicemailCounts {
  readonly new: number;
  readonly saved: number;
  readonly newUrgent: number;
  readonly savedUrgent: number;
}

function profileOf(mailbox: Mailbox): string {
  return profileName(mailbox.profile ?? 'default');
}

/** Positional `<profile> <domain> <user>` used by every vm_fsdb_* command. */
function fsdbTarget(mailbox: Mailbox): string {
  return `${profileOf(mailbox)} ${domainName(mailbox.domain)} ${userId(mailbox.user)}`;
}

/** `vm_boxcount [profile/]user@domain|all`: the `|` is ours, added after the checked address. */
export function boxCountCommand(mailbox: Mailbox): string {
  const profile = mailbox.profile === undefined ? '' : `${profileName(mailbox.profile)}/`;
  return `vm_boxcount ${profile}${userAtDomain(mailbox.user, mailbox.domain)}|all`;
}

/**
 * `new:saved:new-urgent:saved-urgent`, no trailing newline. vm_boxcount cannot report errors (with no arguments
 * it prints `0`), so an unknown mailbox simply counts zero.
 */
export function parseBoxCountAll(body: string): VoicemailCounts {
  const match = /^(\d+):(\d+):(\d+):(\d+)\s*$/.exec(body);
  if (!match) throw new EslReplyFormatError(`vm_boxcount |all answered ${JSON.stringify(body.slice(0, 80))}`, body);
  return { new: Number(match[1]), saved: Number(match[2]), newUrgent: Number(match[3]), savedUrgent: Number(match[4]) };
}

/** The plain form (`vm_boxcount user@domain`) prints only the new-message count. */
export function parseBoxCountNew(body: string): number {
  const match = /^(\d+)\s*$/.exec(body);
  if (!match) throw new EslReplyFormatError(`vm_boxcount answered ${JSON.stringify(body.slice(0, 80))}`, body);
  return Number(match[1]);
}

export async function voicemailBoxCount(fs: ApiRunner, mailbox: Mailbox): Promise<VoicemailCounts> {
  return parseBoxCountAll(await fs.api(boxCountCommand(mailbox)));
}

/**
 * vm_fsdb_msg_list filters. mod_voicemail knows only `not-read`, `new` and `save`; every other word (including
 * `all`!) means "already read". There is no "everything" filter: list `not-read` and `read` and merge.
 */
export const VOICEMAIL_LIST_FILTERS = ['not-read', 'new', 'save', 'read'] as const;
export type VoicemailListFilter = (typeof VOICEMAIL_LIST_FILTERS)[number];

export function messageListCommand(mailbox: Mailbox, filter: VoicemailListFilter): string {
  // The format and folder arguments are ignored by mod_voicemail (always JSON, all folders), but must be present.
  return `vm_fsdb_msg_list json ${fsdbTarget(mailbox)} inbox ${oneOf(filter, VOICEMAIL_LIST_FILTERS, 'filter')}`;
}

/** Message uuids in FreeSWITCH's order (`VM-List-Message-1-UUID` ... up to `VM-List-Count`). */
export function parseMessageList(body: string): string[] {
  const command = 'vm_fsdb_msg_list';
  const parsed = parseJsonBody(command, body);
  const count = integerField(command, body, 'VM-List-Count', parsed['VM-List-Count']);
  const uuids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const value = parsed[`VM-List-Message-${i}-UUID`];
    if (typeof value !== 'string') throw new EslReplyFormatError(`${command}: message ${i} of ${count} missing`, body);
    uuids.push(value);
  }
  return uuids;
}

export async function voicemailMessageList(
  fs: ApiRunner,
  mailbox: Mailbox,
  filter: VoicemailListFilter,
): Promise<string[]> {
  return parseMessageList(await fs.api(messageListCommand(mailbox, filter)));
}

export interface VoicemailMessage {
  readonly uuid: string;
  /** Epoch seconds. */
  readonly receivedEpoch: number;
  /** Epoch seconds, 0 while unread. */
  readonly readEpoch: number;
  readonly callerName: string;
  readonly callerNumber: string;
  readonly folder: string;
  /** Path on the FreeSWITCH host (stream it via local path or SFTP). */
  readonly filePath: string;
  readonly durationSeconds: number;
  /** `B_NORMAL`, `A_URGENT`, ... */
  readonly readFlags: string;
}

export function messageGetCommand(mailbox: Mailbox, messageUuid: string): string {
  return `vm_fsdb_msg_get json ${fsdbTarget(mailbox)} ${uuid(messageUuid, 'message')}`;
}

/** null for an unknown uuid: FreeSWITCH then answers with the bare event headers and no VM-Message-* fields. */
export function parseMessageGet(body: string): VoicemailMessage | null {
  const command = 'vm_fsdb_msg_get';
  const parsed = parseJsonBody(command, body);
  if (parsed['VM-Message-UUID'] === undefined) return null;
  const text = (name: string): string => {
    const value = parsed[name];
    if (typeof value !== 'string') throw new EslReplyFormatError(`${command}: ${name} missing`, body);
    return value;
  };
  const number = (name: string): number => integerField(command, body, name, parsed[name]);
  return {
    uuid: text('VM-Message-UUID'),
    receivedEpoch: number('VM-Message-Received-Epoch'),
    readEpoch: number('VM-Message-Read-Epoch'),
    callerName: text('VM-Message-Caller-Name'),
    callerNumber: text('VM-Message-Caller-Number'),
    folder: text('VM-Message-Folder'),
    filePath: text('VM-Message-File-Path'),
    durationSeconds: number('VM-Message-Duration'),
    readFlags: text('VM-Message-Read-Flags'),
  };
}

export async function voicemailMessage(
  fs: ApiRunner,
  mailbox: Mailbox,
  messageUuid: string,
): Promise<VoicemailMessage | null> {
  return parseMessageGet(await fs.api(messageGetCommand(mailbox, messageUuid)));
}

export function messageCountCommand(mailbox: Mailbox): string {
  return `vm_fsdb_msg_count json ${fsdbTarget(mailbox)} inbox`;
}

export function parseMessageCount(body: string): VoicemailCounts {
  const command = 'vm_fsdb_msg_count';
  const parsed = parseJsonBody(command, body);
  const number = (name: string): number => integerField(command, body, name, parsed[name]);
  return {
    new: number('VM-Total-New-Messages'),
    saved: number('VM-Total-Saved-Messages'),
    newUrgent: number('VM-Total-New-Urgent-Messages'),
    savedUrgent: number('VM-Total-Saved-Urgent-Messages'),
  };
}

export async function voicemailMessageCount(fs: ApiRunner, mailbox: Mailbox): Promise<VoicemailCounts> {
  return parseMessageCount(await fs.api(messageCountCommand(mailbox)));
}

/**
 * Changes to one message. save/delete/undelete answer `-OK` on success (sic); delete only flags the message
 * (vm_list still shows it) until `purge` removes flagged messages.
 */
export const MESSAGE_ACTIONS = ['save', 'delete', 'undelete'] as const;
export type MessageAction = (typeof MESSAGE_ACTIONS)[number];

export function messageActionCommand(mailbox: Mailbox, action: MessageAction, messageUuid: string): string {
  return `vm_fsdb_msg_${oneOf(action, MESSAGE_ACTIONS, 'action')} ${fsdbTarget(mailbox)} ${uuid(messageUuid, 'message')}`;
}

export async function voicemailMessageAction(
  fs: ApiRunner,
  mailbox: Mailbox,
  action: MessageAction,
  messageUuid: string,
): Promise<void> {
  const command = messageActionCommand(mailbox, action, messageUuid);
  expectOk(command, await fs.api(command));
}

export function purgeCommand(mailbox: Mailbox): string {
  return `vm_fsdb_msg_purge ${fsdbTarget(mailbox)}`;
}

export async function voicemailPurge(fs: ApiRunner, mailbox: Mailbox): Promise<void> {
  const command = purgeCommand(mailbox);
  expectOk(command, await fs.api(command));
}

/** `vm_read <user>@<domain>[/profile] read|unread <uuid>`: answers `+OK`. */
export function markReadCommand(mailbox: Mailbox, messageUuid: string, read: boolean): string {
  const profile = mailbox.profile === undefined ? '' : `/${profileName(mailbox.profile)}`;
  return `vm_read ${userAtDomain(mailbox.user, mailbox.domain)}${profile} ${read ? 'read' : 'unread'} ${uuid(messageUuid, 'message')}`;
}

export async function voicemailMarkRead(
  fs: ApiRunner,
  mailbox: Mailbox,
  messageUuid: string,
  read = true,
): Promise<void> {
  const command = markReadCommand(mailbox, messageUuid, read);
  expectOk(command, await fs.api(command));
}
