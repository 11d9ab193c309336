// Reads a mod_json_cdr document (encode-values false or true) into a RawCdrLeg.

import { decodePercent } from '../form-urlencoded';
import { CdrParseError, type RawCallerProfile, type RawCallflow, type RawCdrLeg } from './raw-leg';

export interface JsonCdrOptions {
  /**
   * Whether variable values are URL-encoded (mod_json_cdr `encode-values`). Default: detected from
   * start_stamp/end_stamp, which read `YYYY-MM-DD HH:MM:SS` plain and `...%20...%3A...` encoded.
   */
  encodeValues?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the JSON text of one CDR; throws CdrParseError when it is not a mod_json_cdr document. */
export function parseJsonCdr(text: string, options: JsonCdrOptions = {}): RawCdrLeg {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    throw new CdrParseError(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new CdrParseError('JSON CDR is not an object');
  const rawVariables = doc.variables;
  if (!isObject(rawVariables)) throw new CdrParseError('JSON CDR has no "variables" object');

  const plain = stringMap(rawVariables);
  const encoded = options.encodeValues ?? looksEncoded(plain);
  const variables = encoded ? new Map([...plain].map(([k, v]) => [k, decodePercent(v)])) : plain;

  const flows = Array.isArray(doc.callflow) ? doc.callflow : isObject(doc.callflow) ? [doc.callflow] : [];
  return {
    source: 'json_cdr',
    ...(typeof doc['core-uuid'] === 'string' && { coreUuid: doc['core-uuid'] }),
    ...(typeof doc.switchname === 'string' && { switchname: doc.switchname }),
    channelData: isObject(doc.channel_data) ? stringMap(doc.channel_data) : new Map(),
    variables,
    callflow: flows.filter(isObject).map(callflow),
  };
}

function looksEncoded(variables: ReadonlyMap<string, string>): boolean {
  const stamp = variables.get('start_stamp') ?? variables.get('end_stamp') ?? variables.get('profile_start_stamp');
  return stamp?.includes('%') ?? false;
}

function stringMap(obj: { [key: string]: Json }): Map<string, string> {
  const map = new Map<string, string>();
  // for-in, not Object.entries: a record has ~230 variables and the intake reads thousands of records a second.
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const v = obj[k];
    if (typeof v === 'string') map.set(k, v);
    else if (typeof v === 'number' || typeof v === 'boolean') map.set(k, String(v));
  }
  return map;
}

function callflow(flow: { [key: string]: Json }): RawCallflow {
  const extension = flow.extension;
  const name = isObject(extension) && typeof extension.name === 'string' ? extension.name : undefined;
  return {
    ...(name !== undefined && { extensionName: name }),
    callerProfile: callerProfile(isObject(flow.caller_profile) ? flow.caller_profile : {}),
    times: isObject(flow.times) ? stringMap(flow.times) : new Map(),
  };
}

function callerProfile(profile: { [key: string]: Json }): RawCallerProfile {
  const list = (holder: Json | undefined, key: string) => {
    const items = isObject(holder) ? holder[key] : undefined;
    return (Array.isArray(items) ? items : []).filter(isObject);
  };
  const str = (p: { [key: string]: Json }, key: string) => (typeof p[key] === 'string' ? (p[key] as string) : '');
  return {
    fields: stringMap(profile),
    originatorUuids: list(profile.originator, 'originator_caller_profiles').map((p) => str(p, 'uuid')),
    originatees: list(profile.originatee, 'originatee_caller_profiles').map((p) => ({
      uuid: str(p, 'uuid'),
      channelName: str(p, 'chan_name'),
    })),
  };
}
