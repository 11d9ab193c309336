// Atomic writes: readers see whole files; audio gets modes FreeSWITCH can use whatever the umask.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeAudioFile, writeFileAtomically } from '../../src/services/atomic-file';

describe('atomic files', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialtone-atomic-'));
    umask = process.umask(0o077); // the strictest usual umask: the modes must not depend on it
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes audio readable by everyone in setgid group-writable folders it creates', async () => {
    const path = join(dir, 'audio', 'acme', 'moh', '7', 'track.wav');
    await writeAudioFile(path, Buffer.from('RIFF'));
    expect(readFileSync(path, 'latin1')).to.equal('RIFF');
    expect(statSync(path).mode & 0o7777).to.equal(0o644);
    for (const d of ['audio', 'audio/acme', 'audio/acme/moh', 'audio/acme/moh/7'])
      expect(statSync(join(dir, d)).mode & 0o7777, d).to.equal(0o2775);
    expect(statSync(dir).mode & 0o7777, 'folders it did not create keep their mode').to.equal(0o700);
  });

  it("keeps Dialtone's own files private and leaves no temporary file behind", async () => {
    const path = join(dir, 'phone-logs', 'x.log');
    await writeFileAtomically(path, Buffer.from('one'));
    await writeFileAtomically(path, Buffer.from('two'));
    expect(readFileSync(path, 'utf8')).to.equal('two');
    expect(statSync(path).mode & 0o777).to.equal(0o640);
    expect(readdirSync(join(dir, 'phone-logs'))).to.deep.equal(['x.log']);
  });
});
