// What FreeSWITCH gets for a PBX, both ways: the exported static tree (`dialtone freeswitch export`) and the live
// mod_xml_curl answers. Portal tests check that a change made in a page reaches both.
import { DEFAULT_OPTIONS } from '../../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { parseXmlCurlRequest } from '../../src/freeswitch/xml-curl-request';
import type { Services } from '../../src/services';
import { buildFreeswitchTree } from '../../src/services/freeswitch-export';
import { LiveSnapshots } from '../../src/services/live-snapshots';

export const FS_OPTIONS = { ...DEFAULT_OPTIONS, audioDir: '/var/lib/dialtone/audio', referenceYear: 2026 };

/** The exported tree of one PBX: path → text. */
export async function exportedTree(services: Services, context: string): Promise<Map<string, string>> {
  return buildFreeswitchTree(services, {
    pbxContext: context,
    settings: {
      mode: 'static',
      sip: { bindIp: '127.0.0.1' },
      eventSocket: { password: 'TestPassword1' },
      xmlCurl: { url: 'http://127.0.0.1:8080/freeswitch/xml-curl', username: 'freeswitch', password: 'pw123456' },
      cdr: { url: 'http://127.0.0.1:8080/freeswitch/cdr', username: 'freeswitch', password: 'pw123456' },
    },
    generate: FS_OPTIONS,
  });
}

/** Every file of the exported tree as one text (for "does it appear anywhere" checks). */
export async function exportedText(services: Services, context: string): Promise<string> {
  return [...(await exportedTree(services, context)).values()].join('\n');
}

/** The live xml_curl answer to a request body as FreeSWITCH posts it (e.g. "section=directory&…"). */
export async function liveAnswer(services: Services, body: string): Promise<string> {
  return new XmlCurlAnswerer(new LiveSnapshots(services.orm), FS_OPTIONS).answer(parseXmlCurlRequest(body));
}
