// `dialtone freeswitch export`: writes a complete, startable conf tree atomically, optionally pushes it over SFTP.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config';
import { ValidationError } from '../domain/errors';
import type { FreeswitchSettings } from '../freeswitch/base-config';
import { FREESWITCH_MODES, type FreeswitchMode } from '../freeswitch/base-modules';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

const PUSH_RE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?:(\/[A-Za-z0-9._/-]+)$/;

export const FREESWITCH_COMMANDS: Command[] = [
  {
    name: 'freeswitch export',
    usage:
      'freeswitch export --out DIR [--mode static|live] [--pbx CONTEXT] [--sip-ip ADDR] [--external-ip ADDR] [--sip-port N] [--esl-ip ADDR] [--esl-port N] [--esl-password PW] [--sounds-dir DIR] [--lang-dir DIR] [--no-sounds-check] [--audio-dir DIR] [--audio-out DIR] [--push USER@HOST[:PORT]:/DIR (--push-key FILE | --push-password PW)] [--reload]',
    summary:
      'write the FreeSWITCH conf tree atomically: --mode static (default) writes every file and FreeSWITCH never asks Dialtone; --mode live binds mod_xml_curl to PUBLIC_URL and writes only the base and trunk gateways; the export fails when the prompts or phrase files the PBXs play are missing below --sounds-dir / --lang-dir on the FreeSWITCH host (FREESWITCH_SOUNDS_DIR, FREESWITCH_LANG_DIR); --audio-out copies the audio it plays (greetings, tracks) to DIR/<context>/; --push uploads the audio to --audio-dir (default FREESWITCH_AUDIO_DIR) and the tree over SFTP; --reload runs reloadxml over the event socket (ESL_HOST/ESL_PORT)',
    async run(p, s, io) {
      const o = takeOptions(
        p,
        ['out'],
        [
          'mode',
          'pbx',
          'sip-ip',
          'external-ip',
          'sip-port',
          'esl-ip',
          'esl-port',
          'esl-password',
          'sounds-dir',
          'lang-dir',
          'audio-dir',
          'audio-out',
          'push',
          'push-key',
          'push-password',
        ],
        ['reload', 'no-sounds-check'],
      );
      const config = loadConfig();
      const num = (name: string, v?: string) => {
        if (v === undefined) return undefined;
        if (!/^\d{1,5}$/.test(v)) throw new UsageError(`--${name} must be a port number`);
        return Number(v);
      };
      const eslPassword =
        o['esl-password'] ?? (config.eventSocket.password === 'ClueCon' ? undefined : config.eventSocket.password);
      if (!eslPassword)
        throw new UsageError('give --esl-password (or ESL_PASSWORD): the well-known default ClueCon is refused');
      if (!config.xmlCurl.password)
        throw new UsageError('set XML_CURL_PASSWORD: FreeSWITCH authenticates its xml_curl and CDR posts with it');
      const mode = (o.mode ?? 'static') as FreeswitchMode;
      if (!FREESWITCH_MODES.includes(mode)) throw new UsageError('--mode must be static or live');
      const settings: FreeswitchSettings = {
        mode,
        sip: {
          bindIp: o['sip-ip'] ?? '127.0.0.1',
          externalIp: o['external-ip'],
          internalPort: num('sip-port', o['sip-port']),
        },
        eventSocket: { listenIp: o['esl-ip'], listenPort: num('esl-port', o['esl-port']), password: eslPassword },
        xmlCurl: {
          url: `${config.publicUrl}/freeswitch/xml-curl`,
          username: config.xmlCurl.username,
          password: config.xmlCurl.password,
        },
        cdr: {
          url: `${config.publicUrl}/freeswitch/cdr`,
          username: config.xmlCurl.username,
          password: config.xmlCurl.password,
        },
        paths: {
          soundsDir: o['sounds-dir'] ?? config.freeswitchSoundsDir,
          langDir: o['lang-dir'] ?? config.freeswitchLangDir,
        },
      };
      const alertInfoHost = new URL(config.publicUrl).hostname;
      // The same directory the running server tells xml_curl answers and reads phone recordings from.
      const audioDir = o['audio-dir'] ?? config.freeswitchAudioDir;
      // A malformed --push is refused before anything is written.
      const push = o.push ? pushTarget(o.push, o['push-key'], o['push-password']) : null;
      // The generator, SFTP (ssh2) and the event socket load for this command only, not for every `dialtone` run.
      const { tuneHeapForExport } = await import('../freeswitch/export-heap');
      tuneHeapForExport();
      const [
        { EslFreeswitchControl },
        { DEFAULT_OPTIONS },
        { localHostFiles, sftpHostFiles },
        { openSftp, pushAudioSftp, pushTreeSftp },
        { writeTreeAtomic },
        { audioToDeliver, writeAudioDir },
        { checkHostSounds, freeswitchExport, loadSnapshots },
      ] = await Promise.all([
        import('../freeswitch/event-socket'),
        import('../freeswitch/generator'),
        import('../freeswitch/host-files'),
        import('../freeswitch/sftp-push'),
        import('../freeswitch/write-tree'),
        import('../services/freeswitch-audio'),
        import('../services/freeswitch-export'),
      ]);
      const snapshots = await loadSnapshots(s, o.pbx);
      // Audio goes with the tree when it is delivered (--audio-out, --push): checked before anything is written, so
      // the tree never names audio the FreeSWITCH host cannot get; written first, so a live tree finds it there.
      const audio = o['audio-out'] || push ? audioToDeliver(snapshots, config.dataDir, audioDir) : null;
      const { tree, sounds } = await freeswitchExport(s, {
        pbxContext: o.pbx,
        snapshots,
        settings,
        generate: {
          ...DEFAULT_OPTIONS,
          audioDir,
          alertInfoHost,
          referenceYear: new Date().getUTCFullYear(),
        },
      });
      if (!o.flags.has('no-sounds-check')) {
        // On the host FreeSWITCH reads from: over SFTP when the tree is pushed there, else this machine.
        if (push) {
          const session = await openSftp(push.target).catch((err: Error) => {
            throw new ValidationError({ push: `SFTP connection failed: ${err.message}` });
          });
          try {
            await checkHostSounds(sounds, settings, sftpHostFiles(session.sftp));
          } finally {
            session.end();
          }
        } else await checkHostSounds(sounds, settings, localHostFiles());
      }
      if (audio && o['audio-out']) {
        const written = await writeAudioDir(audio, o['audio-out']);
        io.out(`audio: ${audio.files.length} files in ${o['audio-out']} (${written} written)`);
      }
      const version = writeTreeAtomic(o.out, tree);
      io.out(`wrote ${tree.size} files to ${o.out} (version ${version}, ${mode} mode)`);
      if (audio && push) {
        const { host, remoteDir, target } = push;
        const failed = (err: Error) => {
          throw new ValidationError({ push: `SFTP push failed: ${err.message}` });
        };
        // Audio first: once the new tree is live, every file it names is already there.
        const uploads = audio.files.map((f) => ({
          ...f,
          bytes: () => (f.content ? Promise.resolve(f.content) : readFile(f.localPath)),
        }));
        const sent = await pushAudioSftp(target, audioDir, uploads, audio.exactDirs, audio.folders).catch(failed);
        const remote = await pushTreeSftp({ ...target, remoteDir }, tree).catch(failed);
        io.out(`pushed to ${host}:${remote}; audio: ${audio.files.length} files in ${audioDir} (${sent} uploaded)`);
      }
      if (o.flags.has('reload')) {
        // The tree FreeSWITCH reads changed under it: reloadxml makes it read the new one (the ESL host is the switch).
        const fs = new EslFreeswitchControl({ ...config.eventSocket, password: eslPassword, reconnect: false });
        try {
          await fs.reloadXml();
        } catch (err) {
          throw new ValidationError({ reload: `reloadxml over the event socket failed: ${(err as Error).message}` });
        } finally {
          await fs.close();
        }
        io.out(`reloadxml done on ${config.eventSocket.host}:${config.eventSocket.port}`);
      }
    },
  },
];

function pushTarget(push: string, keyFile: string | undefined, password: string | undefined) {
  const m = PUSH_RE.exec(push);
  if (!m) throw new UsageError('--push must look like user@host[:port]:/absolute/dir');
  if (!keyFile && !password) throw new UsageError('--push needs --push-key FILE or --push-password PW');
  const target = {
    username: m[1] as string,
    host: (m[2] as string).replace(/^\[|\]$/g, ''),
    port: m[3] ? Number(m[3]) : 22,
    privateKey: keyFile ? readFileSync(keyFile) : undefined,
    password,
  };
  return { host: m[2] as string, remoteDir: m[4] as string, target };
}
