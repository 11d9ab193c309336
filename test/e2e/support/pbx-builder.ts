// The PBX a test file builds before FreeSWITCH starts, through the service layer as the portal and CLI would.
import type { Services } from '../../../src/services';
import { SYSTEM } from '../../../src/services/actor';
import type { PbxView } from '../../../src/services/pbx-service';

/** What a test file's setup gets: the service layer and the PBX it builds on. */
export interface PbxBuilder {
  services: Services;
  /** The PBX as services read it (no PIN: `services.pbx.revealSecrets`). */
  pbx: PbxView;
  /** Creates an object of `kind` (service kinds: extensions, mailboxes, numbers, groups, ...); returns its id. */
  create(kind: string, fields: Record<string, unknown>, extra?: Record<string, unknown>): Promise<number>;
  update(kind: string, id: number, fields: Record<string, unknown>): Promise<void>;
  /** Extension `number` with its own mailbox of the same number (password 4321), at the default E911 location. */
  extension(number: string, fields?: Record<string, unknown>): Promise<{ id: number; mailboxId: number }>;
  /** The default phone number (routed to hangup until a test routes it) and its id: the E911 callback number. */
  mainNumber: { id: number; number: string };
  e911LocationId: number;
  /** Port of the carrier the PBX's SIP trunks should point at (127.0.0.1). */
  carrierPort: number;
}

export async function makeBuilder(
  services: Services,
  pbxFields: Record<string, unknown>,
  carrierPort: number,
): Promise<PbxBuilder> {
  const pbx = await services.pbx.create(SYSTEM, {
    context: 'acme',
    name: 'Acme E2E',
    domain: 'acme.e2e.test',
    timezone: 'America/Chicago',
    callerIdNumber: '3125550100',
    callerIdName: 'ACME',
    areaCode: '312',
    prepaidPaths: 4,
    onDemandPaths: 0,
    ...pbxFields,
  });
  const o = services.objects;
  const create = async (kind: string, fields: Record<string, unknown>, extra?: Record<string, unknown>) =>
    (await o.create(SYSTEM, pbx.id, kind, fields, extra)).id as number;
  const main = await create('numbers', { number: '3125550100', routeTo: { kind: 'hangup' } });
  const e911LocationId = await create('e911', {
    name: 'HQ',
    street: '1 Main St',
    city: 'Chicago',
    state: 'IL',
    zip: '60601',
    callbackNumberId: main,
    termsAccepted: true,
  });
  return {
    services,
    pbx,
    create,
    update: async (kind, id, fields) => {
      await o.update(SYSTEM, pbx.id, kind, id, fields);
    },
    extension: async (number, fields = {}) => {
      const mailboxId = await create('mailboxes', { number, name: `Person ${number}`, password: '4321' });
      const id = await create(
        'extensions',
        { number, name: `Person ${number}`, e911LocationId, mailboxId, ...fields },
        { sipPassword: `e2ePassword${number}x` },
      );
      return { id, mailboxId };
    },
    mainNumber: { id: main, number: '3125550100' },
    e911LocationId,
    carrierPort,
  };
}
