// One channel's call record as FreeSWITCH posted it, decoded but not yet interpreted (shared by JSON and XML CDRs).

export class CdrParseError extends Error {
  override name = 'CdrParseError';
}

/** A caller profile from the callflow; its fields are plain text in both formats. */
export interface RawCallerProfile {
  /** username, caller_id_name, caller_id_number, destination_number, context, uuid, chan_name, source, ... */
  fields: ReadonlyMap<string, string>;
  /** uuids of the originator profiles (present on legs another channel created: b-legs, loopback-a). */
  originatorUuids: readonly string[];
  /** uuids and channel names of the originatee profiles (the legs this channel bridged to). */
  originatees: ReadonlyArray<{ uuid: string; channelName: string }>;
}

export interface RawCallflow {
  /** Dialplan extension that matched (absent on legs that never ran a dialplan). */
  extensionName?: string;
  callerProfile: RawCallerProfile;
  /** created_time, answered_time, hangup_time, ... in microseconds since the epoch ("0" when unset). */
  times: ReadonlyMap<string, string>;
}

export interface RawCdrLeg {
  source: 'json_cdr' | 'xml_cdr';
  coreUuid?: string;
  switchname?: string;
  /** state, direction, flags, ... */
  channelData: ReadonlyMap<string, string>;
  /** Channel variables, URL-decoded where FreeSWITCH encoded them. */
  variables: ReadonlyMap<string, string>;
  /** Newest caller profile first: the last entry is the profile the call started with. */
  callflow: readonly RawCallflow[];
}
