// Indexes that declare which snapshot keys they read are handed over to the next snapshot when those keys did not
// change (inheritMemos). A key missing from a declaration would hand over a stale index: for every key outside the
// declarations, a snapshot with that key changed must give the same answers from inherited indexes as from fresh ones.
import { expect } from 'chai';
import { mailboxOwners } from '../../src/domain/mailbox-identity';
import type { PbxSnapshot } from '../../src/domain/snapshot';
import { inheritMemos } from '../../src/domain/snapshot-memo';
import { e911Callback, listedExtensions, outboundCallerId } from '../../src/freeswitch/generator/dialplan/directory';
import {
  directoryUsers,
  extensions,
  findDirectoryUser,
  mailboxes,
  mailboxOf,
} from '../../src/freeswitch/generator/dialplan/identity';
import { SYSTEM } from '../../src/services/actor';
import { directoryEntry, searchDirectory } from '../../src/services/company-directory';
import { seedDemo } from '../../src/services/demo';
import { readSnapshots } from '../../src/services/snapshot-reader';
import { ownMailboxes, visibleMailboxes } from '../../src/services/voicemail-access';
import { ENGINES } from '../helpers/databases';
import { openWorld } from '../helpers/services';

/** Every answer the declared indexes feed, as plain data. */
function answers(snap: PbxSnapshot): unknown {
  const device = {
    kind: 'device' as const,
    pbxId: snap.pbx.id,
    deviceId: 1,
    extensionIds: snap.extensions.map((e) => e.id),
  };
  return {
    extensions: extensions(snap).map((e) => e.id),
    mailboxes: mailboxes(snap).map((m) => m.id),
    owners: snap.mailboxes.map((m) => mailboxOwners(snap, m).map((e) => e.id)),
    mailboxOf: snap.extensions.map((e) => mailboxOf(snap, e)?.id ?? null),
    users: directoryUsers(snap).map((u) => [u.id, u.extension?.id, u.mailbox?.id, u.numberAlias]),
    found: directoryUsers(snap).map((u) => findDirectoryUser(snap, u.id)?.id),
    listed: listedExtensions(snap).map((l) => [l.extension.id, l.mailbox.id]),
    callerIds: snap.extensions.map((e) => [outboundCallerId(snap, e), e911Callback(snap, e)]),
    directory: searchDirectory(snap, '', 0, 1000),
    entries: snap.extensions.map((e) => directoryEntry(snap, e.id)),
    visible: visibleMailboxes(SYSTEM, snap).map((m) => m.id),
    own: ownMailboxes(device, snap).map((m) => m.id),
  };
}

/** `snap` with one key changed the way a PBX change would change it. */
function changed(snap: PbxSnapshot, key: keyof PbxSnapshot): PbxSnapshot {
  if (key === 'pbx')
    return {
      ...snap,
      pbx: {
        ...snap.pbx,
        callerIdName: 'Changed Name',
        callerIdNumber: '3125550000',
        readExtensionInDirectory: !snap.pbx.readExtensionInDirectory,
        directoryByFirstName: !snap.pbx.directoryByFirstName,
      },
    };
  if (key === 'listenLive') return { ...snap, listenLive: null };
  const list = snap[key] as Array<{ id: number }>;
  // One row gone and one row changed (a copy: rows are values).
  return { ...snap, [key]: list.slice(1).map((r, i) => (i === 0 ? { ...r } : r)) };
}

describe('snapshot indexes handed over to the next snapshot', () => {
  it('answer as fresh ones do whichever key outside their declaration changed', async () => {
    const w = await openWorld(ENGINES[0]);
    try {
      await seedDemo(w.services, 'memo_reads');
      const [snap] = await readSnapshots(w.orm.em.fork(), { contexts: ['memo_reads'] });
      answers(snap); // builds every index on `snap`
      for (const key of Object.keys(snap) as Array<keyof PbxSnapshot>) {
        const next = changed(snap, key);
        inheritMemos(snap, next);
        expect(answers(next), `${key} changed`).to.deep.equal(answers({ ...next }));
      }
    } finally {
      await w.close();
    }
  });
});
