// The document mod_xml_curl takes as "not found": FreeSWITCH then falls back to its own XML files.

import { create } from 'xmlbuilder2';

/** Content-Type to answer xml_curl lookups with (as in the captured exchange). */
export const XML_CURL_CONTENT_TYPE = 'text/xml';

/**
 * `<document type="freeswitch/xml"><section name="result"><result status="not found"/></section></document>`,
 * byte for byte what FreeSWITCH 1.10 was served in the capture (no declaration, no trailing newline).
 * switch_xml_locate() drops a binding's answer whose result section says "not found" and tries the next
 * binding, then the static configuration.
 */
export function notFoundDocument(): string {
  return create()
    .ele('document', { type: 'freeswitch/xml' })
    .ele('section', { name: 'result' })
    .ele('result', { status: 'not found' })
    .end({ headless: true });
}
