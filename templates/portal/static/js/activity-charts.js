// Draws the charts of Activity Graph and Path Usage with Chart.js (served from /static/vendor/, never a CDN).
// Each chart's numbers come from its container's data-chart attribute, the same numbers as the table on the page;
// without JavaScript (or when Chart.js did not load) the table alone tells everything.
(() => {
  'use strict';
  const COLORS = { incoming: '#1f6fb2', outgoing: '#d9822b', internal: '#6b7280' };

  function callsChart(canvas, d) {
    return new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: d.labels,
        datasets: d.datasets.map((s) => ({
          label: s.label,
          data: s.data,
          backgroundColor: COLORS[s.key],
          borderWidth: 0,
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Calls' } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  }

  function pathsChart(canvas, d) {
    const flat = (v) => d.labels.map(() => v);
    const peak = d.labels.map((_, i) => (i === d.peakIndex ? d.max[i] : null));
    // Ticks on round times only (whole hours of a day, midnights of a week), then thinned to fit the width.
    const round = { day: (l) => l.endsWith(':00'), week: (l) => l.slice(11, 16) === '00:00' }[d.zoom];
    const tickLabel = d.zoom === 'week' ? (l) => l.slice(5, 10) : (l) => l;
    return new window.Chart(canvas, {
      type: 'line',
      data: {
        labels: d.labels,
        datasets: [
          {
            label: 'Concurrent calls',
            data: d.max,
            stepped: 'before',
            borderColor: COLORS.incoming,
            backgroundColor: 'rgba(31,111,178,.15)',
            fill: true,
            pointRadius: 0,
            borderWidth: 1.5,
          },
          {
            label: `Prepaid paths (${d.prepaid})`,
            data: flat(d.prepaid),
            borderColor: '#2e7d32',
            borderDash: [6, 4],
            pointRadius: 0,
            borderWidth: 2,
          },
          {
            label: `Prepaid + on-demand (${d.total})`,
            data: flat(d.total),
            borderColor: '#b3261e',
            borderDash: [2, 3],
            pointRadius: 0,
            borderWidth: 2,
          },
          {
            label: 'Peak',
            data: peak,
            showLine: false,
            pointStyle: 'triangle',
            pointRadius: 8,
            pointBackgroundColor: '#b3261e',
            borderColor: '#b3261e',
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            afterBuildTicks: (axis) => {
              if (round) axis.ticks = axis.ticks.filter((t) => round(d.labels[t.value]));
            },
            ticks: {
              autoSkip: true,
              maxRotation: 0,
              callback: (value) => tickLabel(d.labels[value]),
            },
          },
          y: {
            beginAtZero: true,
            suggestedMax: Math.max(d.total, d.peakIndex >= 0 ? d.max[d.peakIndex] : 0) + 1,
            ticks: { precision: 0 },
            title: { display: true, text: 'Calls' },
          },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  }

  function draw() {
    if (typeof window.Chart !== 'function') return;
    for (const box of document.querySelectorAll('[data-chart]')) {
      let d;
      try {
        d = JSON.parse(box.getAttribute('data-chart') || 'null');
      } catch {
        continue;
      }
      const canvas = box.querySelector('canvas');
      if (!d || !canvas) continue;
      box.classList.add('chart--drawn');
      if (d.kind === 'calls') callsChart(canvas, d);
      else if (d.kind === 'paths') pathsChart(canvas, d);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
