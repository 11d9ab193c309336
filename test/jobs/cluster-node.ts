// One Dialtone node for the cluster tests, as a process of its own: the real CDR intake (HTTP, port 0) and the real job
// runner with a test job ticking every second, on the PostgreSQL database named by DATABASE_URL. Prints
// `ready <port>`; stops its runner and exits on SIGTERM. Env: NODE_NAME, JOB_MS (how long each run takes).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../src/db';
import type { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { JobRunner } from '../../src/jobs/runner';
import { freeswitchListener } from '../../src/servers/freeswitch-http';
import { ingestCallRecord } from '../../src/services/call-records';

const orm = await openDatabase({ url: process.env.DATABASE_URL as string });
const node = `node-${process.env.NODE_NAME}`;
const jobMs = Number(process.env.JOB_MS ?? 50);
const runner = new JobRunner({
  orm,
  node,
  log: () => {},
  jobs: [
    {
      name: 'cluster-tick',
      schedule: '* * * * * *',
      async run({ slot }) {
        // The job's effect, recorded without any uniqueness: the test checks each slot's effect happened once.
        await orm.em
          .getConnection()
          .execute(
            'insert into test_effect (slot, node, at) values (?, ?, ?)',
            [slot.getTime(), node, Date.now()],
            'run',
          );
        await new Promise((r) => setTimeout(r, jobMs));
        return { slot: slot.toISOString() };
      },
    },
  ],
});
const server = createServer(
  freeswitchListener(
    {
      answerer: {} as XmlCurlAnswerer,
      ingest: (r) => ingestCallRecord(orm, r),
      username: 'freeswitch',
      password: 'cluster-secret',
      allow: ['127.0.0.1'],
      log: () => {},
    },
    (_req, res) => res.end(),
  ),
).listen(0, '127.0.0.1', () => {
  runner.start();
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', async () => {
  await runner.stop();
  server.close();
  await orm.close(true);
  process.exit(0);
});
