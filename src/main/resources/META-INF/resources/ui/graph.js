'use strict';

let plot = null;

// The PromQL expression when one is typed, else the chosen metric with its matchers.
function selector() {
  const expr = document.getElementById('expr').value.trim();
  if (expr) return expr;
  const metric = document.getElementById('metric').value;
  const m = document.getElementById('matchers').value.trim();
  return metric + (m ? '{' + m + '}' : '');
}

async function show(ev) {
  if (ev) ev.preventDefault();
  const status = document.getElementById('status');
  const q = selector();
  const end = Math.floor(Date.now() / 1000);
  const start = end - 3600;
  const step = 5;
  status.textContent = 'loading ' + q;
  try {
    const [instant, range] = await Promise.all([
      getJson('/api/v1/query?query=' + encodeURIComponent(q)),
      getJson('/api/v1/query_range?query=' + encodeURIComponent(q) + '&start=' + start + '&end=' + end + '&step=' + step),
    ]);
    const body = document.querySelector('#table tbody');
    body.replaceChildren();
    if (instant.resultType === 'scalar' || instant.resultType === 'string') {
      body.append(el('tr', {}, el('td', {}, instant.resultType), el('td', {}, instant.result[1])));
    } else if (instant.resultType === 'vector') {
      for (const s of instant.result) {
        body.append(el('tr', {}, el('td', {}, labelBadges(s.metric)), el('td', {}, s.value[1])));
      }
    }
    drawChart(range.result);
    status.textContent = range.result.length + ' series';
  } catch (e) {
    status.textContent = 'error: ' + e.message;
  }
}

// The x axis spans the samples found in the hour (a target scraped for a minute fills the chart).
function drawChart(series) {
  const root = document.getElementById('chart');
  if (plot) { plot.destroy(); plot = null; }
  root.replaceChildren();
  const shown = series.slice(0, 50);
  const times = new Set();
  for (const s of shown) for (const [t] of s.values) times.add(Number(t));
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const data = [xs];
  const opts = {
    width: Math.max(400, root.clientWidth || 900), height: 300,
    series: [{}], axes: [{}, {}], scales: { x: { time: true } },
  };
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  shown.forEach((s, i) => {
    const ys = new Array(xs.length).fill(null);
    for (const [t, v] of s.values) ys[index.get(Number(t))] = Number(v);
    data.push(ys);
    opts.series.push({
      label: labelText(s.metric), stroke: palette[i % palette.length], width: 2,
      spanGaps: false, points: { show: xs.length < 60, size: 6 },
    });
  });
  plot = new uPlot(opts, data, root);
}

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('query').addEventListener('submit', show);
  const select = document.getElementById('metric');
  try {
    const names = await getJson('/api/v1/label/__name__/values');
    select.replaceChildren(...names.map(n => el('option', { value: n }, n)));
    const params = new URLSearchParams(location.search);
    const wanted = params.get('metric');
    if (wanted && names.includes(wanted)) select.value = wanted;
    if (params.get('expr')) {
      document.getElementById('expr').value = params.get('expr');
      show();
    }
  } catch (e) {
    document.getElementById('status').textContent = 'no series: ' + e.message;
  }
});
