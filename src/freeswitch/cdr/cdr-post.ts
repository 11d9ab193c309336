// Takes the body of a mod_json_cdr or mod_xml_cdr POST, whatever its encoding, and returns the call record.

import { parseForm } from '../form-urlencoded';
import { type CallRecordInput, toCallRecord } from './call-record';
import { type JsonCdrOptions, parseJsonCdr } from './json-cdr';
import { CdrParseError, type RawCdrLeg } from './raw-leg';
import { parseXmlCdr } from './xml-cdr';

/** Raised when the Content-Type is not one FreeSWITCH's CDR modules send. */
export class UnsupportedCdrEncodingError extends CdrParseError {
  override name = 'UnsupportedCdrEncodingError';
}

// What each module setting puts on the wire (mod_json_cdr and mod_xml_cdr 1.10):
//   json encode=false              application/json                        raw JSON
//     ... with disable-100-continue application/x-www-form-urlencoded       raw JSON (libcurl's default label)
//   json/xml encode=true           application/x-www-form-urlencoded       cdr=<URL-encoded document>
//   json/xml encode=base64         application/x-www-form-base64-encoded   cdr=<base64, not URL-encoded>
//   xml encode=false               application/x-www-form-plaintext        cdr=<raw XML> (not form-safe: & and + stay raw)
//   xml encode=textxml             text/xml                                raw XML
export const CDR_CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-base64-encoded',
  'application/x-www-form-plaintext',
  'text/xml',
  'application/xml',
] as const;

/** Returns the CDR document text carried by a POST body; throws CdrParseError or UnsupportedCdrEncodingError. */
export function unwrapCdrBody(contentType: string | undefined, body: string | Uint8Array): string {
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: false }).decode(body);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (type) {
    case 'application/json':
    case 'text/xml':
    case 'application/xml':
      return text;
    case 'application/x-www-form-urlencoded': {
      // mod_json_cdr with disable-100-continue (Dialtone's base config) replaces its own headers with "Expect:", so
      // libcurl labels the raw JSON document form-urlencoded (captured: dialtone-tree/cdr/). A form starts with cdr=.
      if (text.trimStart().startsWith('{')) return text;
      const cdr = parseForm(text).get('cdr');
      if (cdr === undefined) throw new CdrParseError('form body has no cdr field');
      return cdr;
    }
    case 'application/x-www-form-plaintext':
      return afterCdrPrefix(text);
    case 'application/x-www-form-base64-encoded': {
      const b64 = afterCdrPrefix(text).trim();
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new CdrParseError('cdr field is not base64');
      return Buffer.from(b64, 'base64').toString('utf8');
    }
    default:
      throw new UnsupportedCdrEncodingError(`Content-Type ${type || '(none)'} is not a FreeSWITCH CDR encoding`);
  }
}

/** Parses a CDR document (JSON or XML, told apart by its first character) into the raw leg. */
export function parseCdrDocument(document: string, options: JsonCdrOptions = {}): RawCdrLeg {
  const start = document.trimStart()[0];
  if (start === '{') return parseJsonCdr(document, options);
  if (start === '<') return parseXmlCdr(document);
  throw new CdrParseError('CDR is neither a JSON object nor an XML document');
}

/** The whole intake parse: body as posted -> normalised call record. */
export function parseCdrPost(
  contentType: string | undefined,
  body: string | Uint8Array,
  options: JsonCdrOptions = {},
): CallRecordInput {
  return toCallRecord(parseCdrDocument(unwrapCdrBody(contentType, body), options));
}

function afterCdrPrefix(text: string): string {
  if (!text.startsWith('cdr=')) throw new CdrParseError('body does not start with cdr=');
  return text.slice(4);
}
