// Call records FreeSWITCH wrote to disk instead of posting them (mod_json_cdr / mod_xml_cdr `err-log-dir` after the
// retries failed, or `log-dir`): what the files are called and how to read them back, whatever the module's encoding.
//
// From the modules' source (1.10) and files a real FreeSWITCH 1.10.12 wrote (test/fixtures/freeswitch/cdr-files/):
//   name      [a_]<channel uuid>.cdr.json | .cdr.xml   (a_ = prefix-a-leg on an a-leg)
//   folder    err-log-dir itself, or with rotate=true a YYYY-MM-DD-HH-MM-SS subfolder made at load and on SIGHUP
//   content   what was (or would have been) posted, without `cdr=`: encode=false plain JSON/XML, encode=true the
//             URL-encoded document, encode=base64 base64; json_cdr adds a newline. Files are written in place
//             (open, write, close), so one being written right now reads as a truncated document.
import { decodePercent } from '../form-urlencoded';
import { type CallRecordInput, toCallRecord } from './call-record';
import { parseCdrDocument } from './cdr-post';
import { CdrParseError } from './raw-leg';

/** A record file's name: optional a_, the channel uuid, the module's extension. */
export const CDR_FILE_NAME =
  /^(?:a_)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.cdr\.(json|xml)$/i;

/** rotate=true subfolders. */
export const CDR_ROTATE_DIR = /^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/;

/** The CDR document a file holds, decoded from whichever encoding the module used. */
export function decodeCdrFile(content: string): string {
  const text = content.trim();
  const first = text[0];
  if (first === '{' || first === '<') return text;
  if (first === '%') {
    const decoded = decodePercent(text).trim();
    if (decoded.startsWith('{') || decoded.startsWith('<')) return decoded;
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text, 'base64').toString('utf8').trim();
    if (decoded.startsWith('{') || decoded.startsWith('<')) return decoded;
  }
  throw new CdrParseError('not a FreeSWITCH call record (neither JSON, XML, URL-encoded nor base64)');
}

/** Parses one record file; throws CdrParseError when it is not one (or not yet a whole one). */
export function parseCdrFile(name: string, content: string): CallRecordInput {
  const named = CDR_FILE_NAME.exec(name);
  if (!named) throw new CdrParseError(`${name} is not named like a FreeSWITCH call record file`);
  const record = toCallRecord(parseCdrDocument(decodeCdrFile(content)));
  if (record.uuid.toLowerCase() !== named[1].toLowerCase())
    throw new CdrParseError(`${name} holds the record of another channel (${record.uuid})`);
  return record;
}
