// The FreeSWITCH host of a test: its settings (ports, temp dirs, who it posts to), and the export onto it as an
// operator would do it: audio delivered, the tree checked for its sounds, which this machine lacks and the test makes.
import { join } from 'node:path';
import type { FreeswitchSettings } from '../../../src/freeswitch/base-config';
import { DEFAULT_OPTIONS, type GenerateOptions } from '../../../src/freeswitch/generator';
import { localHostFiles } from '../../../src/freeswitch/host-files';
import { promptsNeeded, soundPrefix } from '../../../src/freeswitch/host-sounds';
import type { Services } from '../../../src/services';
import { audioToDeliver, writeAudioDir } from '../../../src/services/freeswitch-audio';
import {
  checkHostSounds,
  type FreeswitchExport,
  freeswitchExport,
  loadSnapshots,
} from '../../../src/services/freeswitch-export';
import type { FreeswitchDirs } from './freeswitch';
import { XML_CURL_PASSWORD, XML_CURL_USER } from './http-sinks';
import type { PortBlock } from './ports';
import { fillSounds, langDir } from './sounds';

export type Mode = 'static' | 'live';
export const ESL_PASSWORD = 'e2e-esl-secret';

export function generateOptions(dirs: FreeswitchDirs): GenerateOptions {
  return {
    ...DEFAULT_OPTIONS,
    audioDir: join(dirs.root, 'audio'),
    soundsDir: dirs.sounds,
    alertInfoHost: '127.0.0.1',
    referenceYear: new Date().getUTCFullYear(),
  };
}

/** FreeSWITCH on this test's ports and dirs; live mode asks `dialtoneUrl`, call records go there or to `cdrUrl`. */
export function freeswitchSettings(
  mode: Mode,
  ports: PortBlock,
  dirs: FreeswitchDirs,
  dialtoneUrl: string | null,
  cdrUrl: string,
): FreeswitchSettings {
  return {
    mode,
    sip: {
      bindIp: '127.0.0.1',
      internalPort: ports.sipInternal,
      externalPort: ports.sipExternal,
      rtpStartPort: ports.rtpStart,
      rtpEndPort: ports.rtpEnd,
    },
    eventSocket: { listenPort: ports.esl, password: ESL_PASSWORD },
    ...(mode === 'live' &&
      dialtoneUrl && {
        xmlCurl: { url: `${dialtoneUrl}/freeswitch/xml-curl`, username: XML_CURL_USER, password: XML_CURL_PASSWORD },
      }),
    cdr: {
      url: `${dialtoneUrl ?? cdrUrl}/freeswitch/cdr`,
      username: XML_CURL_USER,
      password: XML_CURL_PASSWORD,
      // No retries: a CDR post that fails would otherwise hold the hang-up of every call for seconds.
      retries: 0,
      delaySec: 1,
      errorLogDir: join(dirs.root, 'cdr-errors'),
    },
    paths: {
      soundsDir: dirs.sounds,
      langDir: langDir(),
      recordingsDir: dirs.recordings,
      storageDir: dirs.storage,
      holdMusicDir: join(dirs.root, 'hold-music'),
    },
  };
}

/**
 * What `freeswitch export` does for an operator: the audio delivered (`--audio-out`), the tree built for the mode,
 * the sounds it plays checked on the host. The host has none, so every prompt the check asks for is made first.
 */
export async function exportOntoTestHost(
  services: Services,
  settings: FreeswitchSettings,
  generate: GenerateOptions,
  dirs: FreeswitchDirs,
): Promise<FreeswitchExport> {
  await writeAudioDir(audioToDeliver(await loadSnapshots(services), join(dirs.root, 'data')), generate.audioDir);
  const exported = await freeswitchExport(services, { settings, generate });
  const paths = { soundsDir: dirs.sounds, langDir: langDir() };
  fillSounds(soundPrefix(paths), dirs.sounds, await promptsNeeded(exported.sounds, paths, localHostFiles()));
  await checkHostSounds(exported.sounds, settings, localHostFiles());
  return exported;
}
