// Finds phones whose configuration changed and queues a check-sync for them. It compares a fingerprint of each
// phone's built configuration whenever its PBX's revision moves, so every kind of change (an extension name on a
// buddy key, a PBX feature, a time zone) re-syncs exactly the phones it affects — and no others.
import { createHash } from 'node:crypto';
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import type { ResyncQueue, ResyncTarget } from '../provisioning/resync-queue';
import type { LiveEntry } from './live-snapshots';

export type Fingerprint = (snap: PbxSnapshot, device: Device) => string | null;

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export class ResyncWatcher {
  private readonly revisions = new Map<number, number>();
  private readonly prints = new Map<number, string | null>();

  constructor(
    private readonly source: { all(): Promise<LiveEntry[]> },
    private readonly fingerprint: Fingerprint,
    private readonly queue: Pick<ResyncQueue, 'enqueue'>,
  ) {}

  /** One pass; the first pass only records fingerprints. Returns how many phones were queued. */
  async check(): Promise<number> {
    const targets: ResyncTarget[] = [];
    for (const entry of await this.source.all()) {
      const { snap, revision } = entry;
      if (this.revisions.get(snap.pbx.id) === revision) continue;
      const first = !this.revisions.has(snap.pbx.id);
      this.revisions.set(snap.pbx.id, revision);
      for (const device of snap.devices) {
        let print: string | null;
        try {
          print = this.fingerprint(snap, device);
        } catch {
          print = null; // a device that cannot be built is re-synced once it can
        }
        const before = this.prints.get(device.id);
        this.prints.set(device.id, print);
        if (first || before === undefined || before === print) continue;
        const line1 = snap.extensions.find((e) => e.id === device.extensionIds[0]);
        if (line1) targets.push({ key: device.mac, user: line1.number, domain: snap.pbx.domain });
      }
    }
    return targets.length ? this.queue.enqueue(targets) : 0;
  }
}
