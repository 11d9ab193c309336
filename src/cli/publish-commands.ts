// `dialtone provisioning publish`: render every provisioning file of a PBX and push it to the site's FTP/SFTP server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../config';
import { DomainError } from '../domain/errors';
import { printable } from '../domain/printable';
import type { PhoneConfigSettings } from '../provisioning/build-phone-config';
import { loadOrCreateKeyFile } from '../provisioning/key-file';
import { defaultProfileDir } from '../provisioning/profile-dir';
import {
  createPublisher,
  PublishError,
  type PublishTarget,
  PublishTargetError,
  parsePublishUrl,
  publishPbx,
} from '../provisioning/publish';
import { createRenderer, loadProvisioningTemplates } from '../provisioning/render';
import { urlProblem } from '../provisioning/render/sanitize';
import { provisioningSettings } from '../servers/provisioning/start';
import { DeviceService } from '../services/device-service';
import { loadProfileCatalog } from '../vendors/profile-catalog';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

/**
 * Settings of published files: the HTTP server's (same SIP registrar, NTP, phone-app and intercom settings as main.ts
 * gives startProvisioning, so a phone gets the same file from either place) except `baseUrl`, where the phones fetch the
 * files from (the site's server). The per-phone files set the phone's provisioning server to it, so Dialtone's own URL
 * would move the phones to a server that asks them for credentials they were never given.
 */
export function publishSettings(config: Config, baseUrl: string, firmwareUrl: string | null): PhoneConfigSettings {
  return provisioningSettings(config.publicUrl, new Date().getUTCFullYear(), {
    provisioningBaseUrl: baseUrl,
    firmwareBaseUrl: firmwareUrl,
    sip: {
      registrarHost: config.sip.registrarHost,
      port: config.sip.port,
      transport: config.sip.transport,
      registerExpiresSeconds: 600,
    },
    ntpServer: config.ntpServer,
  });
}

function httpUrl(value: string, option: string): string {
  const trimmed = value.replace(/\/+$/, '');
  const problem = urlProblem(trimmed);
  if (problem) throw new UsageError(`--${option}: ${problem}`);
  return trimmed;
}

function readKeyFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`--${option}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export const PUBLISH_COMMANDS: Command[] = [
  {
    name: 'provisioning publish',
    usage:
      'provisioning publish --pbx CONTEXT --to ftp://USER@HOST[:PORT]/DIR|sftp://USER@HOST[:PORT]/DIR (--password PW | --key FILE) --base-url URL [--ftps] [--ca FILE] [--host-key SHA256] [--firmware-url URL] [--json]',
    summary:
      "render every provisioning file of a PBX and push it to the site's FTP/SFTP server (--base-url: the http(s) URL the phones fetch those files from)",
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${printable(p.positionals[0])}`);
      const o = takeOptions(
        p,
        ['pbx', 'to', 'base-url'],
        ['password', 'key', 'ca', 'host-key', 'firmware-url'],
        ['ftps', 'json'],
      );
      let target: PublishTarget;
      try {
        const url = parsePublishUrl(o.to);
        if ((o.password === undefined) === (o.key === undefined))
          throw new UsageError('give exactly one of --password PW and --key FILE');
        if (url.protocol === 'ftp' && o.key !== undefined) throw new UsageError('--key is for sftp:// targets');
        if (url.protocol === 'sftp' && (o.flags.has('ftps') || o.ca !== undefined))
          throw new UsageError('--ftps and --ca are for ftp:// targets');
        if (url.protocol === 'ftp' && o['host-key'] !== undefined)
          throw new UsageError('--host-key is for sftp:// targets');
        if (o.ca !== undefined && !o.flags.has('ftps')) throw new UsageError('--ca needs --ftps');
        if (o['host-key'] !== undefined && !/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/.test(o['host-key']))
          throw new UsageError('--host-key must be a SHA256 fingerprint as ssh-keygen -lf prints it');
        target = {
          ...url,
          password: o.password,
          privateKey: o.key === undefined ? undefined : readKeyFile(o.key, 'key'),
          ftps: o.flags.has('ftps'),
          ca: o.ca === undefined ? undefined : readKeyFile(o.ca, 'ca'),
          hostKeySha256: o['host-key'],
        };
      } catch (err) {
        if (err instanceof PublishTargetError) throw new UsageError(`--to: ${err.message}`);
        throw err;
      }
      const config = loadConfig();
      const settings = publishSettings(
        config,
        httpUrl(o['base-url'], 'base-url'),
        o['firmware-url'] === undefined ? null : httpUrl(o['firmware-url'], 'firmware-url'),
      );
      const publisher = (() => {
        try {
          return createPublisher(target);
        } catch (err) {
          if (err instanceof PublishTargetError) throw new UsageError(err.message);
          throw err;
        }
      })();
      const pbx = await s.pbx.byContext(o.pbx);
      const catalog = loadProfileCatalog(defaultProfileDir());
      const deps = {
        store: new DeviceService(s.orm, catalog),
        catalog,
        renderer: createRenderer(loadProvisioningTemplates()),
        settings,
        appTokenKey: loadOrCreateKeyFile(join(config.dataDir, 'keys', 'app-token.key')),
      };
      const { rendered, result } = await publishPbx(deps, pbx.id, publisher).catch((err: unknown) => {
        if (err instanceof PublishError || err instanceof PublishTargetError)
          throw new DomainError(`publish to ${publisher.target} failed: ${err.message}`);
        throw err;
      });
      if (o.flags.has('json')) {
        io.out(JSON.stringify({ ...result, skipped: rendered.skipped }, null, 2));
        return;
      }
      if (target.protocol === 'ftp' && !target.ftps && result.uploaded.length)
        io.err('warning: plain FTP carried the phones’ SIP passwords unencrypted; prefer --ftps or sftp://');
      for (const name of result.uploaded) io.out(`uploaded ${name}`);
      for (const name of result.removed) io.out(`removed ${name}`);
      for (const s of rendered.skipped) io.err(`skipped phone ${s.mac}: ${s.reason}`);
      io.out(
        `published ${result.uploaded.length} files (${result.bytes} bytes) of PBX ${pbx.context} to ${result.target}` +
          (result.removed.length ? `; removed ${result.removed.length} of phones no longer in the PBX` : ''),
      );
    },
  },
];
