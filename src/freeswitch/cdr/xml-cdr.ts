// Reads a mod_xml_cdr document into a RawCdrLeg: variables are URL-decoded, caller profiles are taken as written.

import { decodePercent } from '../form-urlencoded';
import { childElements, firstChild, parseXmlStrict, textOf, type XmlElement, XmlSyntaxError } from '../xml-strict';
import { CdrParseError, type RawCallerProfile, type RawCallflow, type RawCdrLeg } from './raw-leg';

/** Parses the XML text of one CDR (already taken out of its form body); throws CdrParseError when malformed. */
export function parseXmlCdr(text: string): RawCdrLeg {
  let root: XmlElement;
  try {
    root = parseXmlStrict(text);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new CdrParseError(`XML CDR is not well-formed: ${e.message}`);
    throw e;
  }
  if (root.name !== 'cdr') throw new CdrParseError(`XML CDR root is <${root.name}>, not <cdr>`);
  const variablesEl = firstChild(root, 'variables');
  if (!variablesEl) throw new CdrParseError('XML CDR has no <variables>');

  // mod_xml_cdr URL-encodes every variable value whatever its `encode` setting says.
  const variables = new Map<string, string>();
  for (const el of childElements(variablesEl)) variables.set(el.name, decodePercent(textOf(el)));

  const coreUuid = root.attributes.get('core-uuid');
  const switchname = root.attributes.get('switchname');
  const channelData = firstChild(root, 'channel_data');
  return {
    source: 'xml_cdr',
    ...(coreUuid !== undefined && { coreUuid }),
    ...(switchname !== undefined && { switchname }),
    channelData: channelData ? leafMap(channelData) : new Map(),
    variables,
    callflow: childElements(root, 'callflow').map(callflow),
  };
}

function leafMap(el: XmlElement): Map<string, string> {
  const map = new Map<string, string>();
  for (const child of childElements(el)) if (childElements(child).length === 0) map.set(child.name, textOf(child));
  return map;
}

function callflow(el: XmlElement): RawCallflow {
  const extension = firstChild(el, 'extension');
  const name = extension?.attributes.get('name');
  const profile = firstChild(el, 'caller_profile');
  const times = firstChild(el, 'times');
  return {
    ...(name !== undefined && { extensionName: name }),
    callerProfile: profile ? callerProfile(profile) : { fields: new Map(), originatorUuids: [], originatees: [] },
    times: times ? leafMap(times) : new Map(),
  };
}

function callerProfile(el: XmlElement): RawCallerProfile {
  const profiles = (holder: string, item: string) => {
    const h = firstChild(el, holder);
    return h ? childElements(h, item).map(leafMap) : [];
  };
  return {
    fields: leafMap(el),
    originatorUuids: profiles('originator', 'originator_caller_profile').map((p) => p.get('uuid') ?? ''),
    originatees: profiles('originatee', 'originatee_caller_profile').map((p) => ({
      uuid: p.get('uuid') ?? '',
      channelName: p.get('chan_name') ?? '',
    })),
  };
}
