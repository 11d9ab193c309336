// What an installer needs to point a phone at Dialtone (provisioning URL, DHCP option 66, the device's provisioning
// login, the provisioning window) and the state of a device in words, for the installer's result page and the
// device page. Times are shown in the PBX's time zone.

import { SYSTEM } from '../../services/actor';
import type { PublicDevice } from '../../services/device-service';
import { formatMac } from '../../vendors/mac';
import type { Portal, Viewer } from '../context';

export async function timeFormatter(
  portal: Portal,
  v: Viewer,
): Promise<(d: Date | string | null | undefined) => string> {
  const pbx = await portal.services.pbx.get(SYSTEM, v.pbx.id);
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: pbx.timezone, dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
  }
  return (d) => (d ? fmt.format(d instanceof Date ? d : new Date(d)) : '');
}

/** Open until a time in the future, else closed. */
export function windowOpen(d: PublicDevice, now = new Date()): boolean {
  return !!d.armedUntil && new Date(d.armedUntil).getTime() > now.getTime();
}

export async function provisioningFacts(portal: Portal, v: Viewer, d: PublicDevice) {
  const when = await timeFormatter(portal, v);
  const url = `${portal.publicUrl.replace(/\/+$/, '')}/provisioning/`;
  const host = new URL(portal.publicUrl).hostname;
  const port = portal.provisioning.tftpPort;
  const model = portal.devices().catalog.byId(d.profileId);
  return {
    mac: formatMac(d.mac),
    model: model ? `${model.vendor === 'polycom' ? 'Polycom' : 'Yealink'} ${model.model}` : d.profileId,
    url,
    option66: url,
    tftp: port === null ? null : port === 69 ? host : `tftp://${host}:${port}`,
    username: d.provisioningUsername,
    armed: windowOpen(d),
    armedUntil: windowOpen(d) ? when(d.armedUntil) : null,
    lastSeen: d.lastSeenAt ? `${when(d.lastSeenAt)}${d.lastIp ? ` from ${d.lastIp}` : ''}` : null,
  };
}
