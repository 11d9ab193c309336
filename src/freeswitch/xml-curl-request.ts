// Parses the form mod_xml_curl POSTs for a lookup into a typed request: directory, dialplan, configuration or unknown.

import { parseForm } from './form-urlencoded';

// Field names and values are as captured from FreeSWITCH 1.10.12 (test/fixtures/freeswitch/xml_curl/). Every
// body starts with hostname, section, tag_name, key_name and key_value; the event that caused the lookup
// (Event-Name, Core-UUID, ...) and the lookup's own parameters follow. `fields` keeps all of them, decoded.

interface XmlCurlCommon {
  /** FreeSWITCH's switchname (not necessarily the OS hostname). */
  hostname: string;
  tagName: string;
  keyName: string;
  keyValue: string;
  /** Event-Name of the serialized event, e.g. REQUEST_PARAMS, GENERAL, COMMAND; absent for bare module lookups. */
  eventName?: string;
  coreUuid?: string;
  /** Event-Calling-Function: which C function asked (e.g. sofia_reg_parse_auth, voicemail_leave_main). */
  callingFunction?: string;
  /** Every decoded field of the body; when a name repeats, the first value wins. */
  fields: ReadonlyMap<string, string>;
}

/** The digest a phone sent; Dialtone checks it against the user's password (FreeSWITCH does, given the password). */
export interface SipAuthFields {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  qop?: string;
  cnonce?: string;
  nc?: string;
  response: string;
  /** REGISTER, INVITE, SUBSCRIBE, ... */
  method: string;
}

export type DirectoryLookup =
  /** A REGISTER or INVITE (etc.) with credentials: answer with the user and its password, or not found. */
  | {
      action: 'sip_auth';
      user: string;
      domain: string;
      ip?: string;
      sipAuth: SipAuthFields;
      profile?: string;
      userAgent?: string;
      callId?: string;
      fromUser?: string;
      toUser?: string;
      requestUser?: string;
    }
  /** mod_voicemail counting messages for MWI (after REGISTER and every mailbox change). */
  | { action: 'message-count'; user: string; domain: string }
  /** mod_voicemail looking up the mailbox a caller is leaving a message in. */
  | { action: 'voicemail-lookup'; user: string; domain: string; ip?: string }
  /** Bridging or originating to user/USER@DOMAIN: answer with the user's dial-string and variables. */
  | { action: 'user_call'; user: string; domain: string; exportVars: ReadonlyMap<string, string> }
  /** ${user_data(USER@DOMAIN var|param|attr NAME)} from a dialplan. */
  | { action: 'user_data'; user: string; domain: string; dataType: string }
  /** vm_inject publishing a message to a mailbox (purpose=publish-vm). */
  | { action: 'publish-vm'; user: string; domain: string }
  /** A plain user lookup (user_exists and other switch_xml_locate_user callers). */
  | { action: 'user'; user: string; domain: string; key: string }
  /** Gateways configured under directory domains, asked per SIP profile at start-up (purpose=gateways). */
  | { action: 'gateways'; profile: string }
  /** ACL network lists built from directory users (purpose=network-list). */
  | { action: 'network-list'; domain: string }
  /** A domain-level lookup without a user. */
  | { action: 'domain'; domain: string }
  /** Anything else in the directory section, kept with its raw action/purpose. */
  | { action: 'other'; rawAction?: string; purpose?: string; user?: string; domain?: string };

export interface DirectoryRequest extends XmlCurlCommon {
  section: 'directory';
  lookup: DirectoryLookup;
}

export interface DialplanRequest extends XmlCurlCommon {
  section: 'dialplan';
  /** Channel uuid (Unique-ID). */
  uuid: string;
  /** The context to route in: Hunt-Context, else Caller-Context. */
  context: string;
  /** The number to route: Hunt-Destination-Number, else Caller-Destination-Number. */
  destinationNumber: string;
  callerIdNumber: string;
  callerIdName: string;
  channelName?: string;
  /** inbound / outbound as FreeSWITCH sees the channel (Call-Direction). */
  direction?: string;
  /** variable_domain_name: the caller's directory domain when it authenticated. */
  domain?: string;
  /** variable_user_name: the authenticated directory user. */
  userName?: string;
  /** Caller-Network-Addr. */
  networkAddress?: string;
  /** variable_sofia_profile_name. */
  sipProfile?: string;
  /** Every variable_* field with the prefix removed. */
  variables: ReadonlyMap<string, string>;
}

export interface ConfigurationRequest extends XmlCurlCommon {
  section: 'configuration';
  /** key_value, e.g. `ivr.conf`, `conference.conf`, `sofia.conf`. */
  name: string;
  /** The module part of the name: `ivr`, `conference`, `sofia`, ... */
  module: string;
  /** sofia.conf: the profile being loaded, when the request is per profile. */
  profile?: string;
  /** ivr.conf: the menu being run (Menu-Name); the request then also carries the caller's channel. */
  menuName?: string;
  /** ivr.conf: uuid of the channel running the menu. */
  uuid?: string;
  /** ivr.conf: variable_domain_name of the channel running the menu. */
  domain?: string;
  /** conference.conf at start-up and reload carries presence=true. */
  presence?: boolean;
}

export interface UnknownRequest extends XmlCurlCommon {
  /** Anything else FreeSWITCH may ask (languages, phrases, chatplan, channels, an empty section). */
  section: 'unknown';
  rawSection: string;
}

export type XmlCurlRequest = DirectoryRequest | DialplanRequest | ConfigurationRequest | UnknownRequest;

/** Parses a mod_xml_curl POST body (application/x-www-form-urlencoded). Never throws; unknown shapes stay unknown. */
export function parseXmlCurlRequest(body: string | Uint8Array): XmlCurlRequest {
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: false }).decode(body);
  const fields = parseForm(text);
  const get = (name: string) => fields.get(name);
  const common: XmlCurlCommon = {
    hostname: get('hostname') ?? '',
    tagName: get('tag_name') ?? '',
    keyName: get('key_name') ?? '',
    keyValue: get('key_value') ?? '',
    eventName: get('Event-Name'),
    coreUuid: get('Core-UUID'),
    callingFunction: get('Event-Calling-Function'),
    fields,
  };
  const section = get('section') ?? '';
  if (section === 'directory') return { ...common, section, lookup: directoryLookup(fields, common) };
  if (section === 'dialplan') return dialplanRequest(fields, common);
  if (section === 'configuration') return configurationRequest(fields, common);
  return { ...common, section: 'unknown', rawSection: section };
}

function directoryLookup(fields: ReadonlyMap<string, string>, common: XmlCurlCommon): DirectoryLookup {
  const get = (name: string) => fields.get(name);
  const action = get('action');
  const purpose = get('purpose');
  const user = get('user');
  const domain =
    get('domain') ?? (common.tagName === 'domain' && common.keyName === 'name' ? common.keyValue : undefined);
  const ip = get('ip');

  if (purpose === 'gateways') return { action: 'gateways', profile: get('profile') ?? '' };
  if (purpose === 'network-list') return { action: 'network-list', domain: domain ?? '' };
  if (user === undefined || domain === undefined) {
    if (action === undefined && purpose === undefined && domain !== undefined) return { action: 'domain', domain };
    return { action: 'other', rawAction: action, purpose, user, domain };
  }
  if (action === 'sip_auth') {
    return {
      action,
      user,
      domain,
      ...(ip !== undefined && { ip }),
      sipAuth: {
        username: get('sip_auth_username') ?? '',
        realm: get('sip_auth_realm') ?? '',
        nonce: get('sip_auth_nonce') ?? '',
        uri: get('sip_auth_uri') ?? '',
        ...optional('qop', get('sip_auth_qop')),
        ...optional('cnonce', get('sip_auth_cnonce')),
        ...optional('nc', get('sip_auth_nc')),
        response: get('sip_auth_response') ?? '',
        method: get('sip_auth_method') ?? '',
      },
      ...optional('profile', get('sip_profile')),
      ...optional('userAgent', get('sip_user_agent')),
      ...optional('callId', get('sip_call_id')),
      ...optional('fromUser', get('sip_from_user')),
      ...optional('toUser', get('sip_to_user')),
      ...optional('requestUser', get('sip_request_user')),
    };
  }
  if (action === 'message-count') return { action, user, domain };
  if (action === 'voicemail-lookup') return { action, user, domain, ...(ip !== undefined && { ip }) };
  if (action === 'user_call') {
    const exportVars = new Map<string, string>();
    for (const name of (get('export_vars') ?? '').split(',')) {
      const value = name ? get(name) : undefined;
      if (value !== undefined) exportVars.set(name, value);
    }
    return { action, user, domain, exportVars };
  }
  if (purpose === 'publish-vm') return { action: 'publish-vm', user, domain };
  if (action === undefined && get('type') !== undefined)
    return { action: 'user_data', user, domain, dataType: get('type')! };
  if (action === undefined && purpose === undefined) return { action: 'user', user, domain, key: get('key') ?? 'id' };
  return { action: 'other', rawAction: action, purpose, user, domain };
}

function dialplanRequest(fields: ReadonlyMap<string, string>, common: XmlCurlCommon): DialplanRequest {
  const get = (name: string) => fields.get(name);
  const variables = new Map<string, string>();
  for (const [name, value] of fields) if (name.startsWith('variable_')) variables.set(name.slice(9), value);
  return {
    ...common,
    section: 'dialplan',
    uuid: get('Unique-ID') ?? get('Caller-Unique-ID') ?? '',
    context: get('Hunt-Context') ?? get('Caller-Context') ?? '',
    destinationNumber: get('Hunt-Destination-Number') ?? get('Caller-Destination-Number') ?? '',
    callerIdNumber: get('Hunt-Caller-ID-Number') ?? get('Caller-Caller-ID-Number') ?? '',
    callerIdName: get('Hunt-Caller-ID-Name') ?? get('Caller-Caller-ID-Name') ?? '',
    ...optional('channelName', get('Channel-Name')),
    ...optional('direction', get('Call-Direction')),
    ...optional('domain', variables.get('domain_name')),
    ...optional('userName', variables.get('user_name')),
    ...optional('networkAddress', get('Hunt-Network-Addr') ?? get('Caller-Network-Addr')),
    ...optional('sipProfile', variables.get('sofia_profile_name')),
    variables,
  };
}

function configurationRequest(fields: ReadonlyMap<string, string>, common: XmlCurlCommon): ConfigurationRequest {
  const get = (name: string) => fields.get(name);
  const name = common.keyValue;
  const presence = get('presence');
  return {
    ...common,
    section: 'configuration',
    name,
    module: name.endsWith('.conf') ? name.slice(0, -5) : name,
    ...optional('profile', get('profile')),
    ...optional('menuName', get('Menu-Name')),
    ...optional('uuid', get('Menu-Name') !== undefined ? get('Unique-ID') : undefined),
    ...optional('domain', get('Menu-Name') !== undefined ? get('variable_domain_name') : undefined),
    ...(presence !== undefined && { presence: presence === 'true' }),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
