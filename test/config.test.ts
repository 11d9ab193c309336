// Environment -> Config: defaults on an empty environment, clear errors for bad values.
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('reads greetings recorded by phone from the local file system unless FREESWITCH_SFTP is set', () => {
    expect(loadConfig({}).freeswitchSftp).to.equal(null);
    const c = loadConfig({
      FREESWITCH_SFTP: 'dialtone@fs1.example.net:2222',
      FREESWITCH_SFTP_KEY: '/etc/dialtone/fs1.key',
      FREESWITCH_SFTP_HOST_KEY_SHA256: 'n3WvG8Qx0mYt3k6ZsVqE2f1rK9pL4cH7jD5aB0uI2wE',
    });
    expect(c.freeswitchSftp).to.deep.equal({
      username: 'dialtone',
      host: 'fs1.example.net',
      port: 2222,
      keyFile: '/etc/dialtone/fs1.key',
      hostKeySha256: 'n3WvG8Qx0mYt3k6ZsVqE2f1rK9pL4cH7jD5aB0uI2wE',
    });
    expect(
      loadConfig({
        FREESWITCH_SFTP: 'fs@[2001:db8::5]',
        FREESWITCH_SFTP_KEY: '/k',
        FREESWITCH_SFTP_HOST_KEY_SHA256: 'n3WvG8Qx0mYt3k6ZsVqE2f1rK9pL4cH7jD5aB0uI2wE=',
      }).freeswitchSftp,
    ).to.include({
      host: '2001:db8::5',
      port: 22,
    });
  });

  for (const [env, message] of [
    [{ FREESWITCH_SFTP: 'fs1.example.net' }, /user@host/],
    [{ FREESWITCH_SFTP: 'a@b;rm -rf /', FREESWITCH_SFTP_KEY: '/k' }, /user@host/],
    [{ FREESWITCH_SFTP: 'a@fs1:70000', FREESWITCH_SFTP_KEY: '/k' }, /port/],
    [{ FREESWITCH_SFTP: 'a@fs1' }, /FREESWITCH_SFTP_KEY/],
    [{ FREESWITCH_SFTP: 'a@fs1', FREESWITCH_SFTP_KEY: '/k', FREESWITCH_SFTP_HOST_KEY_SHA256: 'abc' }, /fingerprint/],
    [{ FREESWITCH_SFTP: 'a@fs1', FREESWITCH_SFTP_KEY: '/k' }, /HOST_KEY/],
    [{ FREESWITCH_AUDIO_DIR: '/srv/pbx.local/audio' }, /must not contain ".loc"/],
  ] as const)
    it(`refuses ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, message);
    });
});

describe('loadConfig: call records and jobs', () => {
  it('defaults: no import folder, dead letters bounded to 1000 files / 100 MB, jobs on', () => {
    const c = loadConfig({});
    expect(c.cdr).to.deep.equal({ importDir: null, deadLetterMaxFiles: 1000, deadLetterMaxBytes: 100 * 1024 * 1024 });
    expect(c.jobsEnabled).to.equal(true);
  });

  it('reads the import folder, the dead-letter bounds and JOBS_ENABLED', () => {
    const c = loadConfig({
      CDR_IMPORT_DIR: '/var/log/freeswitch/json_cdr',
      CDR_DEAD_LETTER_MAX_FILES: '50',
      CDR_DEAD_LETTER_MAX_MB: '2',
      JOBS_ENABLED: 'false',
    });
    expect(c.cdr).to.deep.equal({
      importDir: '/var/log/freeswitch/json_cdr',
      deadLetterMaxFiles: 50,
      deadLetterMaxBytes: 2 * 1024 * 1024,
    });
    expect(c.jobsEnabled).to.equal(false);
  });

  for (const [env, message] of [
    [{ CDR_IMPORT_DIR: 'relative/dir' }, /CDR_IMPORT_DIR must be an absolute path/],
    [{ CDR_DEAD_LETTER_MAX_FILES: '0' }, /CDR_DEAD_LETTER_MAX_FILES must be between 1/],
    [{ CDR_DEAD_LETTER_MAX_MB: 'lots' }, /CDR_DEAD_LETTER_MAX_MB must be a whole number/],
    [{ JOBS_ENABLED: 'maybe' }, /JOBS_ENABLED must be true or false/],
  ] as const)
    it(`refuses ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, message);
    });
});
