// Event-socket benchmark: frame parsing throughput on the captured 541 KB call stream, and api/bgapi rates against the fake.
import { EslClient } from '../src/freeswitch/event-socket/client';
import { parseEventFrame } from '../src/freeswitch/event-socket/event';
import { EslFrameParser } from '../src/freeswitch/event-socket/frame-parser';
import { readEslFixture } from '../test/fakes/esl-fixtures';
import { FakeEslServer } from '../test/fakes/fake-esl-server';

function parseRate(stream: Buffer, chunk: number, rounds: number): { mibPerS: number; framesPerS: number } {
  const started = performance.now();
  let frames = 0;
  for (let round = 0; round < rounds; round++) {
    const parser = new EslFrameParser();
    for (let at = 0; at < stream.length; at += chunk) {
      for (const frame of parser.push(stream.subarray(at, at + chunk))) {
        parseEventFrame(frame);
        frames++;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { mibPerS: (stream.length * rounds) / (1024 * 1024) / seconds, framesPerS: frames / seconds };
}

export async function run(): Promise<void> {
  const stream = readEslFixture('esl-event-plain-stream-answered-call.txt');
  for (const chunk of [64 * 1024, 1460, 64]) {
    const { mibPerS, framesPerS } = parseRate(stream, chunk, chunk === 64 ? 5 : 40);
    console.log(
      `esl parse+decode, ${chunk}-byte chunks: ${mibPerS.toFixed(1)} MiB/s, ${Math.round(framesPerS)} events/s`,
    );
  }

  const server = await FakeEslServer.start();
  const client = new EslClient({ host: server.host, port: server.port, password: 'ClueCon' });
  try {
    await client.connect();
    const sequential = 2000;
    let started = performance.now();
    for (let i = 0; i < sequential; i++) await client.api('vm_boxcount 1000@acme.pbx.test|all');
    let ms = performance.now() - started;
    console.log(`esl api sequential: ${sequential} calls, ${(ms / sequential).toFixed(3)} ms/call`);

    const pipelined = 20000;
    started = performance.now();
    await Promise.all(Array.from({ length: pipelined }, () => client.api('show registrations as json')));
    ms = performance.now() - started;
    console.log(
      `esl api pipelined: ${pipelined} calls in ${ms.toFixed(0)} ms (${Math.round((pipelined / ms) * 1000)}/s)`,
    );

    const jobs = 2000;
    started = performance.now();
    await Promise.all(Array.from({ length: jobs }, () => client.bgapi('reloadxml')));
    ms = performance.now() - started;
    console.log(`esl bgapi concurrent: ${jobs} jobs in ${ms.toFixed(0)} ms (${Math.round((jobs / ms) * 1000)}/s)`);
  } finally {
    await client.close();
    await server.close();
  }
}
