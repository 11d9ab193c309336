// Transfer slots of the TFTP server: how many at once, how many per address, and which one a new request takes back.
//
// A read request costs one datagram and can come from a forged address; a transfer slot is held until the client
// acknowledges or the retransmissions run out. So a slot whose client has never acknowledged anything ("unproven")
// is only lent: when the server is full, a new request takes back the oldest unproven slot. A flood from forged
// addresses then only ever competes with itself, while clients that answer keep their slots, and a real phone's
// request is served as long as its first ACK comes back before the flood has cycled through every slot (at 10,000
// forged requests a second, 100 ms). An address at its share takes back only its own unproven slots older than
// `graceMs`: phones behind one NAT booting at once are told "busy" (and retry) rather than knock each other out.

/** What the server needs of a transfer's session to end it. */
export interface SlotSession {
  abort(message: string, reason?: 'closed' | 'timeout'): void;
}

export interface Slot {
  /** Client address|port: one transfer per client TID. */
  readonly key: string;
  readonly address: string;
  readonly startedAt: number;
  /** Null while the source opens the file. */
  session: SlotSession | null;
  /** The client has acknowledged something we sent. */
  proven: boolean;
  /** Given back (ended, or taken back for another request). */
  released: boolean;
}

interface AddressSlots {
  count: number;
  /** Its unproven slots, oldest first (a Set keeps insertion order). */
  readonly unproven: Set<Slot>;
}

function oldest(set: Set<Slot>): Slot | undefined {
  return set.values().next().value;
}

export class TransferSlots {
  private readonly byKey = new Map<string, Slot>();
  /** Every unproven slot, oldest first. */
  private readonly unproven = new Set<Slot>();
  private readonly byAddress = new Map<string, AddressSlots>();

  constructor(
    private readonly max: number,
    private readonly maxPerAddress: number,
    private readonly graceMs: number,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Slot | undefined {
    return this.byKey.get(key);
  }

  values(): IterableIterator<Slot> {
    return this.byKey.values();
  }

  /**
   * A slot for a new request from `address`: a free one, or the oldest unproven slot of that address (when it is at
   * its share, and that slot has waited `graceMs`) or of the server (when it is full), which is released and returned
   * in `taken` for the caller to end. Null when none may be taken back: the request is refused as busy.
   */
  take(key: string, address: string, now: number): { slot: Slot; taken: Slot | null } | null {
    let taken: Slot | null = null;
    const mine = this.byAddress.get(address);
    if (mine && mine.count >= this.maxPerAddress) {
      const victim = oldest(mine.unproven);
      if (!victim || now - victim.startedAt < this.graceMs) return null;
      this.release(victim);
      taken = victim;
    }
    if (this.byKey.size >= this.max) {
      const victim = oldest(this.unproven);
      if (!victim) return null;
      this.release(victim);
      taken = victim;
    }
    const slot: Slot = { key, address, startedAt: now, session: null, proven: false, released: false };
    this.byKey.set(key, slot);
    this.unproven.add(slot);
    const a = this.byAddress.get(address) ?? { count: 0, unproven: new Set<Slot>() };
    a.count++;
    a.unproven.add(slot);
    this.byAddress.set(address, a);
    return { slot, taken };
  }

  /** The client answered: its slot is no longer lent. */
  prove(slot: Slot): void {
    if (slot.released || slot.proven) return;
    slot.proven = true;
    this.unproven.delete(slot);
    this.byAddress.get(slot.address)?.unproven.delete(slot);
  }

  /** Gives the slot back; a second call (an ended session of a slot already taken back) does nothing. */
  release(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    if (this.byKey.get(slot.key) === slot) this.byKey.delete(slot.key);
    this.unproven.delete(slot);
    const a = this.byAddress.get(slot.address);
    if (!a) return;
    a.unproven.delete(slot);
    if (--a.count <= 0) this.byAddress.delete(slot.address);
  }
}
