// Captures the raw event-socket frames FreeSWITCH 1.10.12 sends for `CUSTOM vm::maintenance` while sipp leaves a
// message (102 calls 101, not registered) on the demo PBX's generated tree. Writes them, unedited, to
// test/fixtures/freeswitch/esl/. Run: npx tsx scripts/capture-vm-maintenance.ts
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { openDatabase } from '../src/db';
import { createServices } from '../src/services';
import { seedDemo } from '../src/services/demo';
import { PCAP, sipp, startFreeswitch } from '../test/e2e/phone-apps-freeswitch';

const OUT = new URL('../test/fixtures/freeswitch/esl/', import.meta.url);

async function main(): Promise<void> {
  const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
  const services = createServices(orm, { profileIds: new Set() });
  const pbx = (await seedDemo(services, 'demo')).pbx;
  const snap = await services.snapshot(pbx.id);
  const ext102 = snap.extensions.find((e) => e.number === '102')!;
  const fs = await startFreeswitch(services);
  let raw = Buffer.alloc(0);
  const sock = connect(fs.eslPort, '127.0.0.1');
  sock.on('data', (d) => {
    raw = Buffer.concat([raw, d]);
  });
  try {
    await new Promise((r) => setTimeout(r, 500));
    sock.write(`auth ${fs.eslPassword}\n\n`);
    await new Promise((r) => setTimeout(r, 300));
    sock.write('event plain CUSTOM vm::maintenance\n\n');
    await new Promise((r) => setTimeout(r, 300));
    const before = raw.length;
    const caller = await sipp(
      fs,
      'leave-message',
      { number: '102', password: ext102.sipPassword },
      {
        domain: 'demo.dialtone.test',
        dest: '101',
        caller_name: 'Bob',
        pcap: PCAP,
      },
    );
    const code = await caller.done;
    await new Promise((r) => setTimeout(r, 2000));
    const events = raw.subarray(before).toString('latin1');
    process.stdout.write(`sipp exit ${code}\n${events}\n`);
    // Frames: "Content-Length: N\nContent-Type: text/event-plain\n\n" + N bytes.
    let rest = raw.subarray(before);
    let i = 0;
    while (rest.length) {
      const head = rest.indexOf('\n\n');
      if (head < 0) break;
      const len = Number(/Content-Length: (\d+)/.exec(rest.subarray(0, head).toString('latin1'))?.[1] ?? 0);
      const frame = rest.subarray(0, head + 2 + len);
      const action = /VM-Action: ([\w-]+)/.exec(frame.toString('latin1'))?.[1] ?? `frame-${i}`;
      writeFileSync(new URL(`esl-event-plain-CUSTOM-vm_maintenance-${action}.txt`, OUT), frame);
      rest = rest.subarray(head + 2 + len);
      i++;
    }
  } finally {
    sock.destroy();
    await fs.stop();
    await orm.close(true);
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
