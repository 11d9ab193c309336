// Objects of portal part 2's Listen Live … SIP Trunks modules in both test PBXs, so the IDOR sweep has ids to try;
// the other tenant's carry its marker name wherever the kind has a free-text name.

import type { Services } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';

export async function partBObjects(s: Services, pbxIds: { acme: number; other: number }, marker: string) {
  for (const [which, pbxId] of Object.entries(pbxIds)) {
    const name = which === 'other' ? marker : 'Acme';
    const o = s.objects;
    await o.create(SYSTEM, pbxId, 'holidays', { name: `${name} Day`, date: '2031-07-04' });
    await o.create(SYSTEM, pbxId, 'call-blocks', {
      number: '9005550100',
      direction: 'inbound',
      comment: `${name} spam`,
    });
    await o.create(SYSTEM, pbxId, 'hold-music', { name: `${name} Music`, outbound: false, trackIds: [] });
    await o.create(SYSTEM, pbxId, 'queues', { name: `${name} Queue`, number: '600', agentIds: [] });
    await o.create(SYSTEM, pbxId, 'trunks', {
      name: `${which}_carrier`,
      host: 'sip.example.net',
      username: `${which}user`,
      password: `${which}S3cretTrunkPw`,
      register: true,
    });
  }
}
