// Request counts, latencies and event-loop delay of one process, as mergeable snapshots and Prometheus text.
//
// Every process keeps its own counters (no locks, nothing shared per request); /metrics asks each process of the
// cluster for a snapshot and sums them (src/cluster/). Latencies and loop delays are cumulative histograms with fixed
// buckets, so snapshots of several processes add up bucket by bucket and Prometheus can compute quantiles over time.

/** URL areas counted apart. */
export const AREAS = ['provisioning', 'freeswitch', 'phone_apps', 'api', 'portal', 'healthz', 'metrics'] as const;
export type Area = (typeof AREAS)[number];

/** Upper bounds in seconds; the +Inf bucket is the count. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
export const LOOP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;

export interface Histogram {
  /** Non-cumulative count per bucket; one more than the bounds (the last is above every bound). */
  counts: number[];
  sum: number;
}

export interface MetricsSnapshot {
  /** Process name used as a label: primary, worker-1, renderer, … */
  process: string;
  /** Requests per area and status class ("2xx" … "5xx"). */
  requests: Record<string, Record<string, number>>;
  latency: Record<string, Histogram>;
  loopDelay: Histogram;
  loopDelayMax: number;
  /** Counters a process adds of its own (TFTP transfers, pre-rendered files …), summed across processes. */
  counters: Record<string, number>;
}

function emptyHistogram(bounds: readonly number[]): Histogram {
  return { counts: new Array(bounds.length + 1).fill(0), sum: 0 };
}

function record(h: Histogram, bounds: readonly number[], seconds: number): void {
  let i = 0;
  while (i < bounds.length && seconds > (bounds[i] as number)) i++;
  h.counts[i] = (h.counts[i] as number) + 1;
  h.sum += seconds;
}

/** The area of a request target: a prefix check or two per request. */
export function areaOf(url: string): Area {
  if (url.startsWith('/provisioning/')) return 'provisioning';
  if (url.startsWith('/freeswitch/')) return 'freeswitch';
  if (url.startsWith('/phone-apps/')) return 'phone_apps';
  if (url.startsWith('/api/')) return 'api';
  if (url === '/healthz') return 'healthz';
  if (url === '/metrics') return 'metrics';
  return 'portal';
}

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

export class Metrics {
  private readonly requests = new Map<Area, number[]>();
  private readonly latency = new Map<Area, Histogram>();
  private readonly loop = emptyHistogram(LOOP_BUCKETS);
  private loopMax = 0;
  private readonly counters = new Map<string, number>();

  constructor(readonly process: string) {}

  /** One answered request: its area, status and time from its arrival to the end of the response. */
  observe(area: Area, status: number, seconds: number): void {
    let counts = this.requests.get(area);
    if (!counts) {
      counts = [0, 0, 0, 0, 0];
      this.requests.set(area, counts);
    }
    const c = Math.min(4, Math.max(0, Math.floor(status / 100) - 1));
    counts[c] = (counts[c] as number) + 1;
    let h = this.latency.get(area);
    if (!h) {
      h = emptyHistogram(LATENCY_BUCKETS);
      this.latency.set(area, h);
    }
    record(h, LATENCY_BUCKETS, seconds);
  }

  add(counter: string, n = 1): void {
    this.counters.set(counter, (this.counters.get(counter) ?? 0) + n);
  }

  /** How late a timer fired: the time the event loop could not run anything else. */
  observeLoopDelay(seconds: number): void {
    record(this.loop, LOOP_BUCKETS, seconds);
    if (seconds > this.loopMax) this.loopMax = seconds;
  }

  /**
   * Samples the event-loop delay every `everyMs` (a timer that does not keep the process alive): how late each tick
   * fires is how long something held the loop. Returns the function that stops it.
   */
  sampleLoopDelay(everyMs = 10): () => void {
    let expected = performance.now() + everyMs;
    let timer: NodeJS.Timeout;
    const tick = () => {
      const now = performance.now();
      this.observeLoopDelay(Math.max(0, now - expected) / 1000);
      expected = now + everyMs;
      timer = setTimeout(tick, everyMs);
      timer.unref();
    };
    timer = setTimeout(tick, everyMs);
    timer.unref();
    return () => clearTimeout(timer);
  }

  snapshot(): MetricsSnapshot {
    const requests: MetricsSnapshot['requests'] = {};
    for (const [area, counts] of this.requests)
      requests[area] = Object.fromEntries(CLASSES.map((c, i) => [c, counts[i] as number]).filter(([, n]) => n));
    const latency: MetricsSnapshot['latency'] = {};
    for (const [area, h] of this.latency) latency[area] = { counts: [...h.counts], sum: h.sum };
    return {
      process: this.process,
      requests,
      latency,
      loopDelay: { counts: [...this.loop.counts], sum: this.loop.sum },
      loopDelayMax: this.loopMax,
      counters: Object.fromEntries(this.counters),
    };
  }
}

const HELP: Record<string, [string, string]> = {
  dialtone_http_requests_total: ['counter', 'HTTP requests answered, by URL area and status class (all processes).'],
  dialtone_http_request_duration_seconds: [
    'histogram',
    'Time from a request to the end of its response, by URL area (all processes).',
  ],
  dialtone_process_http_requests_total: ['counter', 'HTTP requests answered by each process.'],
  dialtone_event_loop_delay_seconds: [
    'histogram',
    'How late a 10 ms timer fired in each process: time its event loop was held by one piece of work.',
  ],
  dialtone_event_loop_delay_max_seconds: ['gauge', 'Longest event-loop delay seen by each process since it started.'],
};

function header(name: string, lines: string[]): void {
  const [type, help] = HELP[name] ?? ['counter', name];
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

function histogramLines(name: string, labels: string, h: Histogram, bounds: readonly number[], lines: string[]): void {
  let cumulative = 0;
  bounds.forEach((b, i) => {
    cumulative += h.counts[i] as number;
    lines.push(`${name}_bucket{${labels}le="${b}"} ${cumulative}`);
  });
  cumulative += h.counts[bounds.length] as number;
  lines.push(`${name}_bucket{${labels}le="+Inf"} ${cumulative}`);
  const plain = labels.replace(/,$/, '');
  lines.push(`${name}_sum{${plain}} ${h.sum}`, `${name}_count{${plain}} ${cumulative}`);
}

function addInto(into: Histogram, h: Histogram): void {
  h.counts.forEach((n, i) => {
    into.counts[i] = (into.counts[i] ?? 0) + n;
  });
  into.sum += h.sum;
}

const label = (v: string) => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** Prometheus text exposition (version 0.0.4) of the snapshots of every process, summed where it makes sense. */
export function renderPrometheus(snapshots: readonly MetricsSnapshot[]): string {
  const lines: string[] = [];
  const requests = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  const counters = new Map<string, number>();
  for (const s of snapshots) {
    for (const [area, classes] of Object.entries(s.requests))
      for (const [c, n] of Object.entries(classes))
        requests.set(`${area} ${c}`, (requests.get(`${area} ${c}`) ?? 0) + n);
    for (const [area, h] of Object.entries(s.latency)) {
      const into = latency.get(area) ?? emptyHistogram(LATENCY_BUCKETS);
      addInto(into, h);
      latency.set(area, into);
    }
    for (const [name, n] of Object.entries(s.counters)) counters.set(name, (counters.get(name) ?? 0) + n);
  }
  header('dialtone_http_requests_total', lines);
  for (const [key, n] of [...requests].sort()) {
    const [area, c] = key.split(' ') as [string, string];
    lines.push(`dialtone_http_requests_total{area="${area}",code="${c}"} ${n}`);
  }
  header('dialtone_http_request_duration_seconds', lines);
  for (const [area, h] of [...latency].sort(([a], [b]) => a.localeCompare(b)))
    histogramLines('dialtone_http_request_duration_seconds', `area="${area}",`, h, LATENCY_BUCKETS, lines);
  header('dialtone_process_http_requests_total', lines);
  for (const s of snapshots) {
    let n = 0;
    for (const classes of Object.values(s.requests)) for (const v of Object.values(classes)) n += v;
    lines.push(`dialtone_process_http_requests_total{process="${label(s.process)}"} ${n}`);
  }
  header('dialtone_event_loop_delay_seconds', lines);
  for (const s of snapshots)
    histogramLines(
      'dialtone_event_loop_delay_seconds',
      `process="${label(s.process)}",`,
      s.loopDelay,
      LOOP_BUCKETS,
      lines,
    );
  header('dialtone_event_loop_delay_max_seconds', lines);
  for (const s of snapshots)
    lines.push(`dialtone_event_loop_delay_max_seconds{process="${label(s.process)}"} ${s.loopDelayMax}`);
  for (const [name, n] of [...counters].sort()) {
    lines.push(`# TYPE ${name} counter`, `${name} ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
