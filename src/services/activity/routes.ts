// The route a call took (the generator's dialtone_route token, stored with the call) in words for the Activity page.
import type { PbxSnapshot } from '../../domain/snapshot';

const FIXED: Record<string, string> = {
  outbound_nanp: 'Outbound (US/Canada)',
  outbound_n11: 'Outbound (N11 service)',
  outbound_international: 'Outbound (international)',
  emergency_911: 'Emergency (911)',
};

/** `did_12` -> "Phone number 3125551000", `did_12_holiday` -> "… (holiday routing)"; unknown tokens as they are. */
export function describeRoute(route: string | null, snap: Pick<PbxSnapshot, 'phoneNumbers'>): string | null {
  if (!route) return null;
  if (FIXED[route]) return FIXED[route];
  const did = /^did_(\d+)(_holiday)?$/.exec(route);
  if (!did) return route;
  const number = snap.phoneNumbers.find((n) => n.id === Number(did[1]))?.number;
  const name = number ? `Phone number ${number}` : 'A phone number since deleted';
  return did[2] ? `${name} (holiday routing)` : name;
}
