// Child process of bench/activity.ts: one CSV export (SQLite file or PostgreSQL URL), into a discarding stream, so the
// process's peak RSS is the export's. Prints one JSON line: rows, bytes, ms, maxRssMb.
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db';
import { createServices } from '../../src/services';
import { SYSTEM } from '../../src/services/actor';

const [target, pbxId, from, to] = process.argv.slice(2);
const orm = await openDatabase(target.startsWith('postgres') ? { url: target } : { url: null, sqlitePath: target });
const services = createServices(orm);
let bytes = 0;
const sink = new Writable({
  highWaterMark: 64 * 1024,
  write(chunk, _enc, done) {
    bytes += chunk.length;
    setImmediate(done); // a reader slower than the database, as a browser download is
  },
});
const t0 = performance.now();
const rows = await services.activity.exportCsv(SYSTEM, Number(pbxId), { from, to }, sink);
const ms = performance.now() - t0;
await orm.close(true);
process.stdout.write(
  `${JSON.stringify({ rows, bytes, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
