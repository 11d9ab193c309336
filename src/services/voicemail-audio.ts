// Where the voicemail service reads message WAVs: FreeSWITCH's storage on this machine, or over the same SFTP
// (FREESWITCH_SFTP, host key pinned) that greetings recorded by phone are read with.
import { readFileSync } from 'node:fs';
import { type Config, ConfigError } from '../config';
import { type AudioFileSource, localAudioFileSource, sftpAudioFileSource } from '../freeswitch/audio-file-source';

export function voicemailAudioSource(sftp: Config['freeswitchSftp']): AudioFileSource {
  if (!sftp) return localAudioFileSource();
  let privateKey: Buffer;
  try {
    privateKey = readFileSync(sftp.keyFile);
  } catch (err) {
    throw new ConfigError(`FREESWITCH_SFTP_KEY: cannot read ${sftp.keyFile} (${(err as Error).message})`);
  }
  return sftpAudioFileSource({
    host: sftp.host,
    port: sftp.port,
    username: sftp.username,
    privateKey,
    hostKeySha256: sftp.hostKeySha256,
  });
}
