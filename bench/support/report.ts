// The rows of the performance table (issue 16): each bench prints its rows as `ROW {json}` lines, and bench/run.ts
// gathers them into one table after the last bench, with the anchor measured in the same run and the ratio.

export interface Row {
  /** Where the row goes in the table: the order (1 boot storm … 9 npm start), whichever bench ran first. */
  order: number;
  /** The measure, as the table names it. */
  measure: string;
  /** Dialtone's figure, with its unit. */
  dialtone: string;
  /** The anchor's figure in the same run (nginx, tftpd-hpa, Dialtone's own idle rate…), or why there is none. */
  anchor: string;
  /** Dialtone / anchor (for latencies: anchor's p99 over Dialtone's is not used; the ratio is always Dialtone's figure
   * divided by the anchor's, and the target says which way it must go). */
  ratio: number | null;
  target: string;
  verdict: 'meets' | 'misses' | 'no anchor';
}

export const ROW_PREFIX = 'ROW ';

/** Prints one row for bench/run.ts to gather (and a readable line for whoever watches). */
export function reportRow(row: Row): void {
  console.log(`${ROW_PREFIX}${JSON.stringify(row)}`);
}

export function verdictOf(ok: boolean | null): Row['verdict'] {
  return ok === null ? 'no anchor' : ok ? 'meets' : 'misses';
}

export const fmt = {
  rate: (n: number, unit: string) => `${Math.round(n).toLocaleString('en-US')} ${unit}`,
  ms: (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`,
  s: (n: number) => `${n.toFixed(2)} s`,
  mbs: (n: number) => `${n.toFixed(1)} MB/s`,
};

/** The table of every row gathered, as Markdown. */
export function renderTable(rows: Row[]): string {
  const head = ['measure', 'Dialtone', 'anchor (same run)', 'ratio', 'target', 'verdict'];
  const lines = [
    head,
    ...[...rows]
      .sort((a, b) => a.order - b.order)
      .map((r) => [r.measure, r.dialtone, r.anchor, r.ratio === null ? '—' : r.ratio.toFixed(2), r.target, r.verdict]),
  ];
  const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.slice(1).map(line)].join('\n');
}

/** Sizes for a quick check that every bench runs (BENCH_TINY=1): a few hundred phones, a few MB. */
export const TINY = process.env.BENCH_TINY === '1';
