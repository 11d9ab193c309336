// Where each kind of object is edited in the portal: one URL convention, /services/<module>/<id>, used for links
// from "what points at this" lists, audit entries and the picker.
const PATHS: Record<string, (id: number) => string> = {
  extension: (id) => `/services/extensions/${id}`,
  extensions: (id) => `/services/extensions/${id}`,
  mailbox: (id) => `/services/mailboxes/${id}`,
  mailboxes: (id) => `/services/mailboxes/${id}`,
  phone_number: (id) => `/services/phone-numbers/${id}`,
  numbers: (id) => `/services/phone-numbers/${id}`,
  e911_location: (id) => `/services/e911/${id}`,
  e911: (id) => `/services/e911/${id}`,
  auto_attendant: (id) => `/services/auto-attendants/${id}`,
  attendants: (id) => `/services/auto-attendants/${id}`,
  time_frame: (id) => `/services/time-frames/${id}`,
  'time-frames': (id) => `/services/time-frames/${id}`,
  holidays: (id) => `/services/holidays/${id}`,
  group: (id) => `/services/groups/${id}`,
  groups: (id) => `/services/groups/${id}`,
  conference: (id) => `/services/conference-bridge/${id}`,
  conferences: (id) => `/services/conference-bridge/${id}`,
  conference_hub: (id) => `/services/conference-bridge/hubs/${id}`,
  'conference-hubs': (id) => `/services/conference-bridge/hubs/${id}`,
  queue: (id) => `/services/queues/${id}`,
  queues: (id) => `/services/queues/${id}`,
  hold_music_group: (id) => `/services/hold-music/${id}`,
  'hold-music': (id) => `/services/hold-music/${id}`,
  'call-blocks': (id) => `/services/call-blocking/${id}`,
  sip_trunk: (id) => `/services/sip-trunks/${id}`,
  trunks: (id) => `/services/sip-trunks/${id}`,
  device: (id) => `/services/devices/${id}`,
  devices: (id) => `/services/devices/${id}`,
  listen_live: () => '/services/listen-live',
  'listen-live': () => '/services/listen-live',
  pbx: () => '/services/pbx-info',
  user: (id) => `/settings/users/${id}`,
  users: (id) => `/settings/users/${id}`,
};

/** The page of an object (by destination kind or kind name), or null when the portal has none. */
export function objectPath(kind: string, id: number | null): string | null {
  const f = Object.hasOwn(PATHS, kind) ? PATHS[kind] : undefined;
  return f && id !== null ? f(id) : null;
}
