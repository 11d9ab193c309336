// What FreeSWITCH would get after a portal change: the generated tree (what `freeswitch export` writes) and the live
// mod_xml_curl answer, both read from the database as it is now.
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { parseXmlCurlRequest } from '../../src/freeswitch/xml-curl-request';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import type { TestWorld } from '../helpers/services';

const OPTS = { ...DEFAULT_OPTIONS, audioDir: '/var/lib/dialtone/audio' };

/** Every generated file of the PBX, joined (the export writes the same text). */
export async function exportedTree(w: TestWorld, pbxId: number): Promise<string> {
  return [...generate([await w.services.snapshot(pbxId)], OPTS).values()].join('\n');
}

/** The live xml_curl answer to a request body such as "section=dialplan&Caller-Context=acme&Caller-Destination-Number=201". */
export async function liveAnswer(w: TestWorld, body: string): Promise<string> {
  return new XmlCurlAnswerer(new LiveSnapshots(w.orm), OPTS).answer(parseXmlCurlRequest(body));
}
