// What phones are told by default for a public URL: provisioning and firmware folders, phone apps, Alert-Info host.
import type { PhoneConfigSettings } from './build-phone-config';

/** Settings from the public URL, with defaults for what Config does not carry yet (SIP registrar, NTP, limits). */
export function provisioningSettings(
  publicUrl: string,
  referenceYear: number,
  over: Partial<PhoneConfigSettings> = {},
): PhoneConfigSettings {
  return {
    provisioningBaseUrl: `${publicUrl}/provisioning`,
    firmwareBaseUrl: `${publicUrl}/provisioning/firmware`,
    sip: { registrarHost: null, port: 5060, transport: 'udp', registerExpiresSeconds: 600 },
    ntpServer: null,
    referenceYear,
    // Same host the FreeSWITCH generator puts in the intercom Alert-Info (src/cli/freeswitch-commands.ts).
    alertInfoHost: new URL(publicUrl).hostname,
    phoneAppsBaseUrl: `${publicUrl}/phone-apps`,
    pushServerHost: null,
    agentIdleRefreshSeconds: 60,
    ...over,
  };
}
