// Transfer slots (pure): per-address share, server total, and taking back the oldest slot whose client never answered.
import { expect } from 'chai';
import { TransferSlots } from '../../../src/servers/tftp/slots';

describe('tftp transfer slots', () => {
  it('an address at its share takes back its own oldest unproven slot once it waited the grace, never another’s', () => {
    const s = new TransferSlots(10, 2, 1000);
    const a1 = s.take('a|1', 'a', 0)?.slot;
    const b1 = s.take('b|1', 'b', 0)?.slot;
    const a2 = s.take('a|2', 'a', 500)?.slot;
    expect(s.take('a|3', 'a', 999), 'phones behind one NAT booting together: busy, not knocked out').to.equal(null);
    const a3 = s.take('a|3', 'a', 1000);
    expect(a3?.taken).to.equal(a1);
    expect(a1?.released).to.equal(true);
    expect(b1?.released).to.equal(false);
    expect(s.size).to.equal(3);
    s.prove(a2 as never);
    s.prove(a3?.slot as never);
    expect(s.take('a|4', 'a', 5000), 'both of its slots answer: busy').to.equal(null);
  });

  it('a full server takes back the oldest unproven slot of anyone; proven slots are kept', () => {
    const s = new TransferSlots(3, 3, 1000);
    const first = s.take('x|1', 'x', 0)?.slot;
    const proven = s.take('y|1', 'y', 0)?.slot;
    s.prove(proven as never);
    const third = s.take('z|1', 'z', 0)?.slot;
    const next = s.take('p|1', 'phone', 0);
    expect(next?.taken).to.equal(first);
    expect(s.take('p|2', 'phone', 0)?.taken).to.equal(third);
    expect(s.take('p|3', 'phone', 0)?.taken, 'the next oldest unproven: the first phone request').to.equal(next?.slot);
    expect(proven?.released).to.equal(false);
  });

  it('releasing twice, or releasing a slot whose key was taken again, leaves the new slot alone', () => {
    const s = new TransferSlots(1, 1, 0);
    const old = s.take('a|1', 'a', 0)?.slot;
    const again = s.take('b|1', 'b', 0);
    expect(again?.taken).to.equal(old);
    s.release(old as never);
    s.release(old as never);
    expect(s.size).to.equal(1);
    const same = s.take('a|1', 'a', 0);
    expect(same?.taken).to.equal(again?.slot);
    s.release(again?.slot as never);
    expect(s.get('a|1')).to.equal(same?.slot);
  });
});
