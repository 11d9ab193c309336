// The files a real FreeSWITCH 1.10.12 wrote when it could not post (test/fixtures/freeswitch/cdr-files/, one folder per
// module encoding, the base64 one with rotate=true) read back as the records they name; anything else is refused.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CDR_FILE_NAME, decodeCdrFile, parseCdrFile } from '../../src/freeswitch/cdr/cdr-file';
import { CdrParseError } from '../../src/freeswitch/cdr/raw-leg';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'freeswitch', 'cdr-files');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

describe('FreeSWITCH call-record files (err-log-dir)', () => {
  for (const variant of ['json-plain', 'json-urlencoded', 'json-base64-rotated', 'xml-urlencoded', 'xml-plain']) {
    it(`reads the ${variant} files FreeSWITCH wrote as the channels they are named after`, () => {
      const found = files(join(DIR, variant));
      expect(found).to.have.length.greaterThan(0);
      for (const path of found) {
        const name = path.split('/').pop() as string;
        const record = parseCdrFile(name, readFileSync(path, 'utf8'));
        expect(record.uuid).to.equal(CDR_FILE_NAME.exec(name)?.[1]);
        // These were loopback calls from `originate loopback/9196`: never counted, but read whole.
        expect(record.isLoopbackLeg).to.equal(true);
        expect(record.channelName).to.match(/^loopback\/9196-[ab]$/);
        expect(record.endedAt.getTime()).to.be.greaterThan(record.startedAt.getTime());
      }
    });
  }

  it('knows the module names and rotate folders, and nothing else', () => {
    expect(CDR_FILE_NAME.test('a_e51cf07c-9ec1-4a44-81f3-55eccf9ab90f.cdr.xml')).to.equal(true);
    expect(CDR_FILE_NAME.test('e51cf07c-9ec1-4a44-81f3-55eccf9ab90f.cdr.json')).to.equal(true);
    for (const bad of ['e51cf07c.cdr.json', 'x_e51cf07c-9ec1-4a44-81f3-55eccf9ab90f.cdr.json', '../a.cdr.json'])
      expect(CDR_FILE_NAME.test(bad), bad).to.equal(false);
  });

  it('refuses a half-written file, a file holding another channel, and bytes that are no record', () => {
    const path = join(DIR, 'json-plain', 'e51cf07c-9ec1-4a44-81f3-55eccf9ab90f.cdr.json');
    const text = readFileSync(path, 'utf8');
    expect(() => parseCdrFile('e51cf07c-9ec1-4a44-81f3-55eccf9ab90f.cdr.json', text.slice(0, 2000))).to.throw(
      CdrParseError,
    );
    expect(() => parseCdrFile('a3e6fc3c-abeb-438b-83ff-2cd96bbb3372.cdr.json', text)).to.throw(
      CdrParseError,
      /another channel/,
    );
    for (const junk of ['', 'hello world', '%%%', 'AAAA'])
      expect(() => decodeCdrFile(junk), junk).to.throw(CdrParseError);
  });
});
