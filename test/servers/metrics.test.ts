// /metrics: Prometheus text exposition of request counts, latencies and event-loop delay, summed over processes;
// the listener times every request and answers /metrics only to allowed addresses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { LATENCY_BUCKETS, Metrics, renderPrometheus } from '../../src/servers/metrics';
import { metricsListener } from '../../src/servers/metrics-listener';

/** Every line of the text format 0.0.4: a comment (# HELP/# TYPE) or `name{labels} value`. */
const LINE =
  /^(# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+|[a-z_:][a-z0-9_:]*(\{([a-z_][a-z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+-]+|[a-z_:][a-z0-9_:]*(\{.*\})? (\+Inf|NaN))$/;

function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.trim().split('\n')) {
    if (line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('metrics', () => {
  it('renders valid Prometheus text: counters, cumulative histograms summed over processes, per-process loop delay', () => {
    const a = new Metrics('worker-1');
    const b = new Metrics('worker-2');
    a.observe('provisioning', 200, 0.0004);
    a.observe('provisioning', 401, 0.003);
    b.observe('provisioning', 200, 0.2);
    b.observe('portal', 500, 12);
    a.observeLoopDelay(0.0001);
    b.observeLoopDelay(0.07);
    b.add('dialtone_tftp_bytes_total', 1024);
    const text = renderPrometheus([a.snapshot(), b.snapshot()]);
    for (const line of text.trim().split('\n')) expect(line).to.match(LINE);
    const s = samples(text);
    expect(s.get('dialtone_http_requests_total{area="provisioning",code="2xx"}')).to.equal(2);
    expect(s.get('dialtone_http_requests_total{area="provisioning",code="4xx"}')).to.equal(1);
    expect(s.get('dialtone_http_requests_total{area="portal",code="5xx"}')).to.equal(1);
    // Cumulative buckets: le=0.001 holds 1, le=0.005 holds 2, le=0.25 all 3; +Inf equals _count.
    const bucket = (le: string) =>
      s.get(`dialtone_http_request_duration_seconds_bucket{area="provisioning",le="${le}"}`);
    expect(bucket('0.001')).to.equal(1);
    expect(bucket('0.005')).to.equal(2);
    expect(bucket('0.25')).to.equal(3);
    expect(bucket('+Inf')).to.equal(3);
    expect(s.get('dialtone_http_request_duration_seconds_count{area="provisioning"}')).to.equal(3);
    expect(s.get('dialtone_http_request_duration_seconds_bucket{area="portal",le="10"}')).to.equal(0);
    expect(s.get('dialtone_http_request_duration_seconds_bucket{area="portal",le="+Inf"}')).to.equal(1);
    let last = 0;
    for (const le of LATENCY_BUCKETS) {
      const n = bucket(String(le)) as number;
      expect(n).to.be.at.least(last);
      last = n;
    }
    expect(s.get('dialtone_process_http_requests_total{process="worker-1"}')).to.equal(2);
    expect(s.get('dialtone_process_http_requests_total{process="worker-2"}')).to.equal(2);
    expect(s.get('dialtone_event_loop_delay_seconds_bucket{process="worker-2",le="0.05"}')).to.equal(0);
    expect(s.get('dialtone_event_loop_delay_seconds_bucket{process="worker-2",le="0.1"}')).to.equal(1);
    expect(s.get('dialtone_event_loop_delay_max_seconds{process="worker-2"}')).to.equal(0.07);
    expect(s.get('dialtone_tftp_bytes_total')).to.equal(1024);
  });

  it('samples the event-loop delay: a blocked loop shows up in its histogram', async () => {
    const m = new Metrics('test');
    const stop = m.sampleLoopDelay(5);
    try {
      await new Promise((r) => setTimeout(r, 20));
      const until = performance.now() + 60;
      while (performance.now() < until) {
        // hold the loop
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(m.snapshot().loopDelayMax).to.be.at.least(0.04);
    } finally {
      stop();
    }
  });

  describe('the listener', () => {
    let server: Server;
    let base: string;
    const metrics = new Metrics('worker-1');
    before(async () => {
      server = createServer(
        metricsListener({ metrics, collect: async () => [metrics.snapshot()], allow: ['127.0.0.1'] }, (req, res) => {
          res.writeHead(req.url === '/provisioning/x.cfg' ? 404 : 200);
          res.end('x');
        }),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('times every request by area and serves /metrics as Prometheus text', async () => {
      await (await fetch(`${base}/provisioning/x.cfg`)).text();
      await (await fetch(`${base}/healthz`)).text();
      const res = await fetch(`${base}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/plain; version=0.0.4; charset=utf-8');
      const s = samples(await res.text());
      expect(s.get('dialtone_http_requests_total{area="provisioning",code="4xx"}')).to.equal(1);
      expect(s.get('dialtone_http_requests_total{area="healthz",code="2xx"}')).to.equal(1);
    });

    it('refuses addresses not on METRICS_ALLOW', async () => {
      const other = createServer(
        metricsListener({ metrics, collect: async () => [], allow: ['10.0.0.1'] }, (_req, res) => res.end()),
      );
      await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
      try {
        const res = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/metrics`);
        expect(res.status).to.equal(403);
        await res.text();
      } finally {
        other.closeAllConnections();
        await new Promise<void>((r) => other.close(() => r()));
      }
    });
  });
});
