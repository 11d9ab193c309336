// Outermost node:http listener: times every request into Metrics and answers GET /metrics (Prometheus text) itself.
import type { RequestListener } from 'node:http';
import { CidrList } from '../provisioning/cidr';
import { type Area, areaOf, type Metrics, type MetricsSnapshot, renderPrometheus } from './metrics';

export interface MetricsListenerOptions {
  metrics: Metrics;
  /** Snapshots of every process of the cluster (this one's alone when it serves by itself). */
  collect: () => Promise<MetricsSnapshot[]>;
  /** Addresses/CIDRs allowed to read /metrics; others get 403. */
  allow: readonly string[];
}

export function metricsListener(options: MetricsListenerOptions, next: RequestListener): RequestListener {
  const { metrics } = options;
  const allowed = new CidrList(options.allow);
  return (req, res) => {
    const started = performance.now();
    const area: Area = areaOf(req.url ?? '');
    // 'finish': the last byte was handed to the kernel; a client that went away first is not counted.
    res.once('finish', () => metrics.observe(area, res.statusCode, (performance.now() - started) / 1000));
    if (area !== 'metrics') {
      next(req, res);
      return;
    }
    if (!allowed.has(req.socket.remoteAddress ?? '')) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('forbidden\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    options.collect().then(
      (snapshots) => {
        const body = Buffer.from(renderPrometheus(snapshots));
        res.writeHead(200, {
          'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
          'Content-Length': String(body.length),
          'Cache-Control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end('metrics unavailable\n');
      },
    );
  };
}
