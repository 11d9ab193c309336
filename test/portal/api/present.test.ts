// What an API answer may show: secret names are never shown even when listed; referrers are named by their API kind.
import { expect } from 'chai';
import { kindApis, pbxApi } from '../../../src/portal/api/kind-api';
import { apiReferrer, isSecretField, pick } from '../../../src/portal/api/present';

describe('API presentation', () => {
  it('knows a credential by its name, and a masked secret’s yes/no flag is not one', () => {
    for (const n of [
      'pin',
      'password',
      'sipPassword',
      'phoneAdminPassword',
      'provisioningHa1',
      'appTokenHash',
      'appTokenSalt',
      'tokenHash',
      'clientSecret',
    ])
      expect(isSecretField(n), n).to.equal(true);
    for (const n of ['passwordSet', 'pinned', 'provisioningUsername', 'name', 'spinner', 'username'])
      expect(isSecretField(n), n).to.equal(false);
  });

  it('shows only the listed fields, and never a secret one even when listed', () => {
    const row = { id: 1, name: 'x', password: 'p', pin: '1234', extra: 'y' };
    expect(pick(row, ['id', 'name', 'password', 'pin'])).to.deep.equal({ id: 1, name: 'x' });
  });

  it('lists no hidden or secret field among any kind’s or the PBX’s answer fields', () => {
    for (const k of kindApis()) {
      for (const h of k.kind.hidden ?? []) expect(k.output, k.kind.name).to.not.include(h);
      for (const f of k.output) expect(isSecretField(f), `${k.kind.name}.${f}`).to.equal(false);
      expect(k.output).to.not.include('pbxId');
    }
    expect(pbxApi().output).to.not.include.members(['pin', 'phoneAdminPassword']);
    expect(pbxApi().writable).to.include.members(['pin', 'phoneAdminPassword']);
    expect(pbxApi().writable).to.not.include('context');
  });

  it('names a referrer by the kind it is fetched under', () => {
    const r = (kind: string) => apiReferrer({ kind, id: 7, label: 'x', field: 'f' }).kind;
    expect(
      ['extension', 'phone_number', 'group', 'e911_location', 'hold_music_group', 'auto_attendant'].map(r),
    ).to.deep.equal(['extensions', 'numbers', 'groups', 'e911', 'hold-music', 'attendants']);
    expect(['device', 'user', 'listen_live'].map(r)).to.deep.equal(['devices', 'users', 'listen-live']);
  });
});
