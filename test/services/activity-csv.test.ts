// The Activity CSV export on both engines: the same filters as the search, RFC 4180 quoting, cells a spreadsheet would
// run as formulas neutralised, and a stream that waits for a slow reader and stops when it goes away.
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { csvCell } from '../../src/services/activity/csv';
import { SYSTEM } from '../../src/services/actor';
import { callRow, incoming, insertCalls } from '../helpers/call-rows';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';

/**
 * A Writable that takes one chunk per macrotask: write() returns false long before the export is done. Counts the
 * times it pushed back and the writes made while it was still full (a writer ignoring backpressure).
 */
function slowSink(highWaterMark = 1024) {
  const chunks: string[] = [];
  let pushedBack = 0;
  let full = false;
  let ignored = 0;
  const sink = new Writable({
    highWaterMark,
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      setImmediate(done);
    },
  });
  sink.on('drain', () => {
    full = false;
  });
  const write = sink.write.bind(sink);
  sink.write = ((chunk: string) => {
    if (full) ignored++;
    const ok = write(chunk);
    if (!ok) {
      pushedBack++;
      full = true;
    }
    return ok;
  }) as typeof sink.write;
  return { sink, text: () => chunks.join(''), pushedBack: () => pushedBack, ignored: () => ignored };
}

describe('CSV cells', () => {
  it('quotes what must be quoted and neutralises formulas', () => {
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('Smith, Pat')).to.equal('"Smith, Pat"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('two\nlines')).to.equal('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).to.equal('"\'=HYPERLINK(""http://x"")"');
    for (const risky of ['+1', '-1+2', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(risky).replace(/^"/, '')[0], JSON.stringify(risky)).to.equal("'");
    expect(csvCell('+13125551000')).to.equal("'+13125551000");
    expect(csvCell(42)).to.equal('42');
    expect(csvCell(null)).to.equal('');
  });
});

forEachEngine('Activity CSV export', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  before(async () => {
    w = await openWorld(engine);
    pbxId = (await makePbx(w.services, 'csv')).pbx.id;
    const hostile = incoming(pbxId, '2026-03-08T07:59:00Z', {
      callerName: '=cmd|\' /C calc\'!A0, "x"',
      callerNumber: '+17735550199',
      calleeName: 'Smith, "Pat"',
    });
    const many = Array.from({ length: 2500 }, (_, i) =>
      callRow(pbxId, { at: new Date(Date.parse('2026-04-01T12:00:00Z') + i * 1000).toISOString() }),
    );
    await insertCalls(w.orm, [hostile, ...many]);
  });
  after(() => w?.close());

  it('writes a header and one safe, quoted line per call, times in the PBX zone', async () => {
    const { sink, text } = slowSink(1 << 20);
    const rows = await w.services.activity.exportCsv(SYSTEM, pbxId, { to: '2026-03-31' }, sink);
    expect(rows).to.equal(1);
    const lines = text().split('\r\n');
    expect(lines[0]).to.match(/^Start,Answer,End,Type,Caller extension,Callee extension,Caller number,Caller name,/);
    // A minute from 01:59 CST is 03:00 CDT: 2 AM does not happen that night.
    expect(lines[1]).to.match(
      /^2026-03-08T01:59:00-06:00,2026-03-08T01:59:00-06:00,2026-03-08T03:00:00-05:00,incoming,/,
    );
    expect(lines[1]).to.contain(`,'+17735550199,"'=cmd|' /C calc'!A0, ""x""",`);
    expect(lines[2]).to.equal('');
  });

  it('streams every matching call in batches, waiting whenever the reader is full (same filters as the search)', async () => {
    const { sink, text, pushedBack, ignored } = slowSink(4096);
    const rows = await w.services.activity.exportCsv(
      SYSTEM,
      pbxId,
      { from: '2026-04-01', direction: 'internal' },
      sink,
    );
    expect(rows).to.equal(2500);
    expect(pushedBack()).to.equal(3); // one write per batch of 1000 lines, each over the mark, each waited for
    expect(ignored()).to.equal(0);
    const lines = text().trim().split('\r\n');
    expect(lines).to.have.length(2501);
    expect(lines[1].startsWith('2026-04-01T07:41:39-05:00')).to.equal(true); // newest first, in CDT
    expect(lines[2500].startsWith('2026-04-01T07:00:00-05:00')).to.equal(true);
    expect(new Set(lines.slice(1).map((l) => l.split(',').pop())).size).to.equal(2500);
  });

  it('stops when the reader goes away', async () => {
    const { sink } = slowSink(1024);
    const run = w.services.activity.exportCsv(SYSTEM, pbxId, {}, sink);
    setImmediate(() => sink.destroy());
    let error: Error | null = null;
    await run.catch((e: Error) => {
      error = e;
    });
    expect(String(error)).to.contain('the reader went away');
  });
});
