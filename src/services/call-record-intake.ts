// The one call-record intake, as main.ts (FreeSWITCH's posts, the import job) and the CLI (`dialtone cdr import`) build
// it from the configuration: store the call once, then import the greeting it says was recorded by phone.
import { readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/core';
import { type Config, ConfigError } from '../config';
import type { CallRecordInput } from '../freeswitch/cdr/call-record';
import { localRecordingSource, type RecordingSource, sftpRecordingSource } from '../freeswitch/recording-source';
import type { Logger } from '../log';
import type { ObjectService } from './object-service';
import { callRecordIntake, PhoneRecordings } from './phone-recordings';

/** Greetings recorded by phone are read from FreeSWITCH's audio directory: here, or over SFTP when configured. */
export function recordingSource(sftp: Config['freeswitchSftp']): RecordingSource {
  if (!sftp) return localRecordingSource();
  let privateKey: Buffer;
  try {
    privateKey = readFileSync(sftp.keyFile);
  } catch (err) {
    throw new ConfigError(`FREESWITCH_SFTP_KEY: cannot read ${sftp.keyFile} (${(err as Error).message})`);
  }
  return sftpRecordingSource({
    host: sftp.host,
    port: sftp.port,
    username: sftp.username,
    privateKey,
    hostKeySha256: sftp.hostKeySha256,
  });
}

export function buildCallRecordIntake(
  orm: MikroORM,
  objects: ObjectService,
  config: Config,
  log: Logger,
): (record: CallRecordInput) => Promise<boolean> {
  const recordings = new PhoneRecordings({
    orm,
    objects,
    source: recordingSource(config.freeswitchSftp),
    freeswitchAudioDir: config.freeswitchAudioDir,
    dataDir: config.dataDir,
    log,
  });
  return callRecordIntake(orm, recordings);
}
