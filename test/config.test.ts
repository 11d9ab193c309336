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
  ] as const)
    it(`refuses ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, message);
    });
});
