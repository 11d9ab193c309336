// Re-checks a PhoneConfig against its firmware profile before rendering, returning a copy whose display text is sanitised.

import type { FirmwareProfile } from '../../vendors/firmware-profile';
import type { PhoneConfig } from '../phone-config';
import { PhoneConfigError } from './errors';
import { displayText, isHost, patterns, urlProblem } from './sanitize';

const LABEL_MAX = 32;
const NAME_MAX = 48;

/**
 * Validates every field with an allow-list and sanitises human text. Throws PhoneConfigError listing every problem.
 * The builder is expected to have validated already; this is the second, independent check at the output boundary.
 */
export function checkPhoneConfig(config: PhoneConfig, profile: FirmwareProfile): PhoneConfig {
  const errors: Record<string, string> = {};
  const must = (ok: boolean, field: string, message: string) => {
    if (!ok && !(field in errors)) errors[field] = message;
  };
  const url = (value: string, field: string) => {
    const problem = urlProblem(value);
    if (problem) errors[field] = problem;
  };

  must(patterns.mac.test(config.device.mac), 'device.mac', 'must be 12 lower-case hex digits');
  must(config.device.profileId === profile.id, 'device.profileId', `does not match firmware profile ${profile.id}`);
  url(config.provisioning.baseUrl, 'provisioning.baseUrl');
  must(!config.provisioning.baseUrl.endsWith('/'), 'provisioning.baseUrl', 'must not end with /');
  if (config.provisioning.credentials) {
    must(
      patterns.authUser.test(config.provisioning.credentials.user),
      'provisioning.credentials.user',
      'letters, digits . _ - only',
    );
    must(
      patterns.secret.test(config.provisioning.credentials.password),
      'provisioning.credentials.password',
      'contains a character that cannot be written safely',
    );
  }
  if (config.firmwareBaseUrl !== null) {
    url(config.firmwareBaseUrl, 'firmwareBaseUrl');
    must(!config.firmwareBaseUrl.endsWith('/'), 'firmwareBaseUrl', 'must not end with /');
    must(profile.firmware.files.length > 0, 'firmwareBaseUrl', `profile ${profile.id} names no firmware file`);
  }

  must(isHost(config.sip.domain), 'sip.domain', 'not a host name');
  must(isHost(config.sip.registrarHost), 'sip.registrarHost', 'not a host name or IP');
  must(Number.isInteger(config.sip.port) && config.sip.port >= 1 && config.sip.port <= 65535, 'sip.port', '1–65535');
  must(['udp', 'tcp', 'tls'].includes(config.sip.transport), 'sip.transport', 'udp, tcp or tls');
  must(
    Number.isInteger(config.sip.registerExpiresSeconds) &&
      config.sip.registerExpiresSeconds >= 60 &&
      config.sip.registerExpiresSeconds <= 86400,
    'sip.registerExpiresSeconds',
    '60–86400',
  );

  must(config.lines.length >= 1, 'lines', 'at least one line');
  must(config.lines.length <= profile.lines, 'lines', `${profile.model} has ${profile.lines} line(s)`);
  config.lines.forEach((line, i) => {
    must(patterns.extension.test(line.extension), `lines.${i}.extension`, '2–6 digits');
    must(patterns.authUser.test(line.authUser), `lines.${i}.authUser`, 'letters, digits . _ - only');
    must(
      patterns.secret.test(line.password),
      `lines.${i}.password`,
      'contains a character that cannot be written safely',
    );
  });

  must(
    patterns.featureCode.test(config.voicemail.accessNumber),
    'voicemail.accessNumber',
    'a feature code such as *98',
  );
  config.voicemail.extraMailboxes.forEach((box, i) => {
    must(patterns.mailbox.test(box.mailbox), `voicemail.extraMailboxes.${i}.mailbox`, 'digits only');
    const [user, host, ...rest] = box.account.split('@');
    must(
      patterns.watch.test(user ?? '') && isHost(host ?? '') && rest.length === 0,
      `voicemail.extraMailboxes.${i}.account`,
      'must be user@domain (letters, digits . _ - in the user)',
    );
  });
  config.buddies.forEach((buddy, i) => {
    must(buddy.kind === 'extension' || buddy.kind === 'park', `buddies.${i}.kind`, 'extension or park');
    must(patterns.watch.test(buddy.watch), `buddies.${i}.watch`, 'letters, digits * # + . _ - only');
    must(patterns.dial.test(buddy.dial), `buddies.${i}.dial`, 'digits * # only');
  });
  config.speedDials.forEach((sd, i) => {
    must(patterns.dial.test(sd.dial), `speedDials.${i}.dial`, 'digits * # only');
  });
  must(patterns.featureCode.test(config.pickup.prefix), 'pickup.prefix', 'a feature code such as *8');
  must(patterns.featureCode.test(config.intercom.prefix), 'intercom.prefix', 'a feature code such as *1');
  must(config.intercom.alertInfoFields.length > 0, 'intercom.alertInfoFields', 'at least one Alert-Info field');
  config.intercom.alertInfoFields.forEach((field, i) => {
    // `<http(s)://host>;param=value…` or a token in brackets (`<Ring Answer>`): FreeSWITCH sends only `<…>` forms.
    const alert = /^<([^<>]+)>((?:;[A-Za-z0-9_-]+(?:=[A-Za-z0-9._-]+)?)*)$/.exec(field);
    const inner = alert?.[1] ?? '';
    must(
      alert !== null && (urlProblem(inner) === null || /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(inner)),
      `intercom.alertInfoFields.${i}`,
      'must be <http(s)://host>;param=value… or <token> (URI form)',
    );
  });

  if (config.agent) {
    const r = config.agent.idleRefreshSeconds;
    must(Number.isInteger(r) && (r === 0 || (r >= 5 && r <= 3600)), 'agent.idleRefreshSeconds', '0 or 5–3600');
    must(
      config.phoneApps !== null || (!config.agent.key && !config.agent.idleScreenStatus),
      'agent',
      'agent key and idle status need phoneApps URLs',
    );
  }
  if (config.phoneApps) {
    url(config.phoneApps.voicemailUrl, 'phoneApps.voicemailUrl');
    url(config.phoneApps.directoryUrl, 'phoneApps.directoryUrl');
    url(config.phoneApps.agentStatusUrl, 'phoneApps.agentStatusUrl');
    if (config.phoneApps.pushServerHost !== null)
      must(isHost(config.phoneApps.pushServerHost), 'phoneApps.pushServerHost', 'not a host name or IP');
  }

  must(patterns.ianaZone.test(config.time.timeZone), 'time.timeZone', 'not an IANA time zone name');
  must(
    Number.isInteger(config.time.referenceYear) &&
      config.time.referenceYear >= 2000 &&
      config.time.referenceYear <= 2100,
    'time.referenceYear',
    '2000–2100',
  );
  if (config.time.ntpServer !== null) must(isHost(config.time.ntpServer), 'time.ntpServer', 'not a host name or IP');
  // The admin password is written as `admin:<password>` for Yealink, so it may not contain ':'.
  must(
    patterns.secret.test(config.adminPassword) &&
      !config.adminPassword.includes(':') &&
      config.adminPassword.length >= 4,
    'adminPassword',
    '4+ printable characters, no spaces, quotes, % or :',
  );

  if (Object.keys(errors).length > 0) throw new PhoneConfigError(errors);

  return {
    ...config,
    device: { ...config.device, label: displayText(config.device.label, NAME_MAX, config.device.mac) },
    lines: config.lines.map((line) => ({
      ...line,
      displayName: displayText(line.displayName, NAME_MAX, line.extension),
      label: displayText(line.label, LABEL_MAX, line.extension),
    })),
    voicemail: {
      ...config.voicemail,
      extraMailboxes: config.voicemail.extraMailboxes.map((box) => ({
        ...box,
        label: displayText(box.label, LABEL_MAX, box.mailbox),
      })),
    },
    buddies: config.buddies.map((buddy) => ({ ...buddy, label: displayText(buddy.label, LABEL_MAX, buddy.dial) })),
    speedDials: config.speedDials.map((sd) => ({ ...sd, label: displayText(sd.label, LABEL_MAX, sd.dial) })),
    pickup: { ...config.pickup, keyLabel: displayText(config.pickup.keyLabel, LABEL_MAX, 'Pickup') },
    agent: config.agent ? { ...config.agent, keyLabel: displayText(config.agent.keyLabel, LABEL_MAX, 'Agent') } : null,
  };
}
