// Directory: the PBX's SIP domain with one user per extension and per mailbox that needs its own voicemail box.
import { createHash } from 'node:crypto';
import type { Extension, Mailbox } from '../../../domain/model';
import type { PbxSnapshot } from '../../../domain/snapshot';
import { memoOn, pbxSettingsChanged } from '../../../domain/snapshot-memo';
import { fsDigits, fsSecret, fsText } from '../escape';
import type { GenerateOptions } from '../options';
import type { Build, Fragment, XMLBuilder } from '../xml';
import {
  type DirectoryUser,
  directoryOwner,
  directoryUsers,
  mailboxOf,
  num,
  pbxContext,
  pbxDomain,
  voicemailId,
} from './identity';

/** vanilla's dial string: every registered contact of the user, with the dialed domain as INVITE domain. */
export const DIAL_STRING =
  '{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(*/${dialed_user}@${dialed_domain})}';

type Pairs = Array<[string, string]>;

function param(parent: XMLBuilder, list: Pairs, tag: 'param' | 'variable'): void {
  for (const [name, value] of list) parent.ele(tag, { name, value });
}

/** Outgoing caller ID of an extension: its chosen phone number (and that number's CNAM), else the PBX default. */
const numberById = (snap: PbxSnapshot) =>
  memoOn(snap, 'directory.numberById', (s) => new Map(s.phoneNumbers.map((p) => [p.id, p])), ['phoneNumbers']);

export function outboundCallerId(snap: PbxSnapshot, e: Extension): { number: string; name: string } {
  // One value per chosen number (most extensions share a few): worked out once per snapshot, not per extension.
  const byId = memoOn(
    snap,
    'directory.outboundCallerId',
    () => new Map<number | null, { number: string; name: string }>(),
  );
  const id = e.outgoingCallerIdNumberId ?? null;
  let out = byId.get(id);
  if (!out) {
    const did = id == null ? undefined : numberById(snap).get(id);
    out = Object.freeze({
      number: fsDigits(did?.number ?? snap.pbx.callerIdNumber ?? '').replace(/[*#]/g, ''),
      name: fsText(did?.callerIdName ?? snap.pbx.callerIdName ?? '', 15),
    });
    byId.set(id, out);
  }
  return out;
}

/** The number presented to the PSAP when this extension dials 911: its E911 location's callback number. */
const locationById = (snap: PbxSnapshot) =>
  memoOn(snap, 'directory.locationById', (s) => new Map(s.e911Locations.map((l) => [l.id, l])), ['e911Locations']);

export function e911Callback(snap: PbxSnapshot, e: Extension): string {
  const loc = e.e911LocationId == null ? undefined : locationById(snap).get(e.e911LocationId);
  const did = loc?.callbackNumberId == null ? undefined : numberById(snap).get(loc.callbackNumberId);
  return fsDigits(did?.number ?? snap.pbx.callerIdNumber ?? '').replace(/[*#]/g, '');
}

/** Which mailbox's name a user is listed under in the company directory (mod_directory), if any. */
function listedMailbox(snap: PbxSnapshot, u: DirectoryUser): Mailbox | null {
  if (u.extension) {
    const m = mailboxOf(snap, u.extension);
    return m && !m.hideFromDirectory && directoryOwner(snap, m)?.id === u.extension.id ? m : null;
  }
  const m = u.mailbox;
  return m && !m.hideFromDirectory && !directoryOwner(snap, m) ? m : null;
}

/**
 * Extensions mod_directory lists, with the mailbox whose name it lists them under (hidden mailboxes left out):
 * what the phones' company directory shows, so both directories agree.
 */
export function listedExtensions(snap: PbxSnapshot): Array<{ extension: Extension; mailbox: Mailbox }> {
  return memoOn(
    snap,
    'directory.listedExtensions',
    (s) =>
      directoryUsers(s).flatMap((u) => {
        const m = u.extension ? listedMailbox(s, u) : null;
        return m && u.extension ? [{ extension: u.extension, mailbox: m }] : [];
      }),
    ['extensions', 'mailboxes'],
  );
}

/** Users the company directory lists: it transfers to the user id, so mailbox-only ids need a dialplan entry. */
export function listedMailboxUsers(snap: PbxSnapshot): Array<{ id: string; mailbox: Mailbox }> {
  return directoryUsers(snap)
    .filter((u) => !u.extension)
    .flatMap((u) => {
      const m = listedMailbox(snap, u);
      return m ? [{ id: u.id, mailbox: m }] : [];
    });
}

/**
 * mod_voicemail's user params. No vm-mailto / vm-notify-mailto: Dialtone itself mails new messages (Email to Notify
 * with the WAV, SMS email without) when FreeSWITCH reports them (services/voicemail-notify.ts), so FreeSWITCH's own
 * mailer would only send each one twice.
 */
function mailboxParams(m: Mailbox, id: string): Pairs {
  // vm-enabled is true unless a user says otherwise (mod_voicemail.c starts every check with SWITCH_TRUE): only
  // users without a box carry it, as false.
  const out: Pairs = [['vm-password', fsDigits(m.password).replace(/[*#]/g, '')]];
  // The "not available" phrase reads the id aloud: vm_201 must still sound like 201.
  if (id !== num(m.number)) out.push(['vm-alternate-greet-id', num(m.number)]);
  return out;
}

/**
 * A mailbox-only user is no SIP account: sofia answers its REGISTER 403 (sip-forbid-register), and its password (a
 * user without one would register without credentials) is derived from secrets of the PBX nobody types:
 * unguessable, stable, pure, so no INVITE can authenticate as it either.
 */
function unusablePassword(snap: PbxSnapshot, m: Mailbox): string {
  return createHash('sha256')
    .update(`dialtone-mailbox-user\0${snap.pbx.context}\0${m.id}\0${m.password}\0${snap.pbx.phoneAdminPassword}`)
    .digest('hex')
    .slice(0, 32);
}

function userParams(snap: PbxSnapshot, u: DirectoryUser): Pairs {
  const out: Pairs = [];
  const e = u.extension;
  out.push(['password', e ? fsSecret(e.sipPassword) : unusablePassword(snap, u.mailbox!)]);
  if (!e) out.push(['sip-forbid-register', 'true']);
  if (u.mailbox) out.push(...mailboxParams(u.mailbox, u.id));
  else out.push(['vm-enabled', 'false']);
  if (e) {
    // Registrations get MWI for their own id; an extension whose mailbox lives elsewhere points MWI there.
    const own = mailboxOf(snap, e);
    if (own && voicemailId(snap, own) !== u.id)
      out.push(['MWI-Account', `${voicemailId(snap, own)}@${pbxDomain(snap)}`]);
  }
  const listed = listedMailbox(snap, u);
  // mod_directory reads these from the user alone and takes both as true when absent (mod_directory.c,
  // generate_sql_entry_for_user): only a "false" needs saying.
  if (!listed) out.push(['directory-visible', 'false']);
  if (!(e && snap.pbx.readExtensionInDirectory)) out.push(['directory-exten-visible', 'false']);
  return out;
}

/** Per-extension variables that usually share one value across the PBX (its number, its E911 location). */
const COMMON = ['outbound_caller_id_number', 'outbound_caller_id_name', 'dialtone_e911_callback'];

/**
 * Variables every extension user of the PBX shares, set once on the `<domain>`: FreeSWITCH merges domain variables
 * under the user's own (sofia's REGISTER/INVITE auth, user_data(), the user/ endpoint), so a user lists only the
 * values that differ. For the COMMON variables the domain takes the most frequent value, and only when every
 * extension user has one: an empty user value cannot override the domain's (sofia skips empty values).
 */
function domainVariables(snap: PbxSnapshot): Map<string, string> {
  return memoOn(snap, 'directory.domainVariables', () => {
    const out = new Map<string, string>([
      ['dialtone_pbx', pbxContext(snap)],
      ['user_context', pbxContext(snap)],
      ['toll_allow', snap.pbx.internationalCalling ? 'domestic,international,local' : 'domestic,local'],
      ['callgroup', pbxContext(snap)],
    ]);
    const users = directoryUsers(snap).filter((u) => u.extension);
    // The COMMON values of an extension depend only on its caller-ID number and E911 location (and the PBX's
    // defaults): computed once per distinct pair, not per extension. A single-user xml_curl answer after a change
    // needs this whole-PBX map first; building every user's variables for it cost ~10 ms per 1,000 extensions.
    // One pass counts the users per pair; the values are worked out once per pair (this runs again after every
    // change of an extension or a number, while xml_curl lookups wait).
    const byPair = new Map<string, { users: number; values: Map<string, string> }>();
    for (const u of users) {
      const e = u.extension!;
      const key = `${e.outgoingCallerIdNumberId ?? ''}|${e.e911LocationId ?? ''}`;
      const pair = byPair.get(key);
      if (pair) {
        pair.users++;
        continue;
      }
      const values = new Map<string, string>();
      const cid = outboundCallerId(snap, e);
      if (cid.number) values.set('outbound_caller_id_number', cid.number);
      if (cid.name) values.set('outbound_caller_id_name', cid.name);
      const callback = e911Callback(snap, e);
      if (callback) values.set('dialtone_e911_callback', callback);
      byPair.set(key, { users: 1, values });
    }
    for (const name of COMMON) {
      const counts = new Map<string, number>();
      for (const { users: n, values } of byPair.values()) {
        const value = values.get(name);
        if (!value) {
          counts.clear();
          break;
        }
        counts.set(value, (counts.get(value) ?? 0) + n);
      }
      let best: [string, number] | null = null;
      for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
      if (best) out.set(name, best[0]);
    }
    return out;
  });
}

/**
 * An extension user's own variables, before the domain's shared values are taken out. Not kept: read once per user
 * per render, and 10,000 kept lists outlived their use by the whole export.
 */
function extensionVariables(snap: PbxSnapshot, e: Extension): Pairs {
  const n = num(e.number);
  const cid = outboundCallerId(snap, e);
  const out: Pairs = [
    ['effective_caller_id_name', fsText(e.name) || n],
    ['effective_caller_id_number', n],
  ];
  if (cid.number) out.push(['outbound_caller_id_number', cid.number]);
  if (cid.name) out.push(['outbound_caller_id_name', cid.name]);
  out.push(['dialtone_extension', n]);
  const callback = e911Callback(snap, e);
  if (callback) out.push(['dialtone_e911_callback', callback]);
  const own = mailboxOf(snap, e);
  if (own) out.push(['dialtone_vm_id', voicemailId(snap, own)]);
  return out;
}

function userVariables(snap: PbxSnapshot, u: DirectoryUser): Pairs {
  const out: Pairs = u.extension ? extensionVariables(snap, u.extension) : [];
  const listed = listedMailbox(snap, u);
  if (listed) out.push(['directory_full_name', fsText(listed.name) || num(listed.number)]);
  const shared = domainVariables(snap);
  return out.filter(([name, value]) => shared.get(name) !== value);
}

/** A `<user>` element from its values. */
function userElement(list: XMLBuilder, attrs: Record<string, string>, params: Pairs, vars: Pairs): void {
  const user = list.ele('user', attrs);
  param(user.ele('params'), params, 'param');
  if (vars.length) param(user.ele('variables'), vars, 'variable');
}

function userAttributes(u: DirectoryUser): Record<string, string> {
  const attrs: Record<string, string> = { id: u.id };
  if (u.numberAlias) attrs['number-alias'] = u.numberAlias;
  return attrs;
}

/** One `<user>` element (for the static file and for a single-user xml_curl answer). */
export function directoryUserBuild(snap: PbxSnapshot, u: DirectoryUser, _opts: GenerateOptions): Build {
  return (parent) => userElement(parent, userAttributes(u), userParams(snap, u), userVariables(snap, u));
}

/** A `<domain>` element from its values; returns its `<users>` (in group "default") for the users to go in. */
function domainElement(parent: XMLBuilder, name: string, variables: Pairs): XMLBuilder {
  const domain = parent.ele('domain', { name });
  param(domain.ele('params'), [['dial-string', DIAL_STRING]], 'param');
  param(domain.ele('variables'), variables, 'variable');
  return domain.ele('groups').ele('group', { name: 'default' }).ele('users');
}

/**
 * The `<domain>` element. mod_directory only walks `<groups><group><users>`, so users sit in group "default".
 * `users`: 'all' inlines every user (xml_curl), 'none' leaves the group empty, 'include' pulls the per-user files in.
 */
export function directoryDomainBuild(
  snap: PbxSnapshot,
  opts: GenerateOptions,
  users: 'all' | 'none' | 'include' | DirectoryUser[],
): Build {
  return (parent) => {
    const list = domainElement(parent, pbxDomain(snap), [...domainVariables(snap)]);
    if (users === 'include') list.ele('X-PRE-PROCESS', { cmd: 'include', data: `${pbxDomain(snap)}/*.xml` });
    else if (users !== 'none')
      for (const u of users === 'all' ? directoryUsers(snap) : users) directoryUserBuild(snap, u, opts)(list);
  };
}

/**
 * xml_curl's answer for one user (the domain with that user alone), as the values it is written from: `key` holds
 * every one of them and `build` writes only them, so two answers with the same key are the same text. After a PBX
 * change most users' values are unchanged, and the answerer reuses their text by key instead of writing it again.
 */
export function directoryUserAnswer(snap: PbxSnapshot, u: DirectoryUser): { key: string; build: Build } {
  const name = pbxDomain(snap);
  const variables = [...domainVariables(snap)];
  const attrs = userAttributes(u);
  const params = userParams(snap, u);
  const vars = userVariables(snap, u);
  return {
    key: JSON.stringify([name, DIAL_STRING, variables, attrs, params, vars]),
    build: (parent) => userElement(domainElement(parent, name, variables), attrs, params, vars),
  };
}

/** Phone numbers a directory answer can show: extensions' caller IDs and E911 locations' callback numbers. */
const referencedNumberIds = (snap: PbxSnapshot): Set<number> =>
  memoOn(
    snap,
    'directory.referencedNumberIds',
    (s) => {
      const ids = new Set<number>();
      for (const e of s.extensions) if (e.outgoingCallerIdNumberId != null) ids.add(e.outgoingCallerIdNumberId);
      for (const l of s.e911Locations) if (l.callbackNumberId != null) ids.add(l.callbackNumberId);
      return ids;
    },
    ['extensions', 'e911Locations'],
  );

/**
 * Whether every directory answer of `to` is the one of `from` (a later snapshot of the same PBX, whose unchanged lists
 * are the same arrays: services/snapshot-reader.ts). The directory reads the PBX's settings, its extensions,
 * mailboxes and E911 locations, and the phone numbers those name; anything else (routing, devices, media, numbers
 * nobody's caller ID or callback is) cannot change it. Keep this in step with what the functions above read.
 */
export function directoryAnswersUnchanged(from: PbxSnapshot, to: PbxSnapshot): boolean {
  if (from.pbx.id !== to.pbx.id || pbxSettingsChanged(from.pbx, to.pbx)) return false;
  if (from.extensions !== to.extensions || from.mailboxes !== to.mailboxes) return false;
  if (from.e911Locations !== to.e911Locations) return false;
  if (from.phoneNumbers === to.phoneNumbers) return true;
  // Rows are values: a number added, removed or changed is a row in one list that is not in the other.
  const referenced = referencedNumberIds(to);
  const before = new Set(from.phoneNumbers);
  const after = new Set(to.phoneNumbers);
  for (const n of from.phoneNumbers) if (!after.has(n) && referenced.has(n.id)) return false;
  for (const n of to.phoneNumbers) if (!before.has(n) && referenced.has(n.id)) return false;
  return true;
}

export function directoryFiles(snap: PbxSnapshot, opts: GenerateOptions): Fragment[] {
  const domain = pbxDomain(snap);
  const out: Fragment[] = [
    {
      path: `directory/${domain}.xml`,
      comment: `Directory domain of PBX ${pbxContext(snap)}: one user file per extension or mailbox in ${domain}/`,
      build: directoryDomainBuild(snap, opts, 'include'),
    },
  ];
  for (const u of directoryUsers(snap)) out.push(new DirectoryUserFile(snap, u, opts));
  return out;
}

/** One user's include file; path, comment and element made when it is rendered (extensions.ts, ExtensionFile). */
class DirectoryUserFile implements Fragment {
  constructor(
    private readonly snap: PbxSnapshot,
    private readonly u: DirectoryUser,
    private readonly opts: GenerateOptions,
  ) {}
  get path(): string {
    return `directory/${pbxDomain(this.snap)}/${this.u.id}.xml`;
  }
  get comment(): string {
    const u = this.u;
    const what = u.extension
      ? `extension #${u.extension.id}${u.mailbox ? ` and mailbox #${u.mailbox.id}` : ''}`
      : `mailbox #${u.mailbox!.id}`;
    return `User ${u.id} of PBX ${pbxContext(this.snap)}: ${what}`;
  }
  build(parent: XMLBuilder): void {
    directoryUserBuild(this.snap, this.u, this.opts)(parent);
  }
}
