'use strict';

let data = { activeTargets: [], droppedTargets: [] };
const collapsed = new Set();

function matchesSearch(labels, q) {
  if (!q) return true;
  const text = labelText(labels).toLowerCase();
  return q.toLowerCase().split(/\s+/).every(term => text.includes(term.replace(/"/g, '')));
}

function renderTargets() {
  const onlyUnhealthy = document.getElementById('unhealthy').checked;
  const pool = document.getElementById('pool').value;
  const q = document.getElementById('search').value.trim();
  const root = document.getElementById('targets');
  root.replaceChildren();
  const byPool = new Map();
  for (const t of data.activeTargets) {
    if (!byPool.has(t.scrapePool)) byPool.set(t.scrapePool, []);
    byPool.get(t.scrapePool).push(t);
  }
  for (const [name, targets] of [...byPool.entries()].sort()) {
    if (pool && name !== pool) continue;
    const shown = targets.filter(t => (!onlyUnhealthy || t.health !== 'up') && matchesSearch(t.labels, q));
    if (shown.length === 0 && (onlyUnhealthy || q)) continue;
    const up = targets.filter(t => t.health === 'up').length;
    const box = el('section', { class: 'pool' + (collapsed.has(name) ? ' collapsed' : ''), 'data-pool': name });
    const h = el('h3', {}, name + ' ', el('span', { class: 'muted' }, '(' + up + '/' + targets.length + ' up)'));
    h.addEventListener('click', () => {
      if (collapsed.has(name)) collapsed.delete(name); else collapsed.add(name);
      box.classList.toggle('collapsed');
    });
    box.append(h);
    const table = el('table', {}, el('thead', {}, el('tr', {},
      el('th', {}, 'Endpoint'), el('th', {}, 'State'), el('th', {}, 'Labels'),
      el('th', {}, 'Last scrape'), el('th', {}, 'Duration'), el('th', {}, 'Error'))));
    const body = el('tbody');
    for (const t of shown) {
      const tr = el('tr', { class: 'target', 'data-health': t.health },
        el('td', {}, el('a', { href: t.scrapeUrl }, t.scrapeUrl)),
        el('td', {}, el('span', { class: 'state ' + t.health }, t.health)),
        el('td', {}, labelBadges(t.labels)),
        el('td', {}, ago(t.lastScrape)),
        el('td', {}, t.lastScrapeDuration ? (t.lastScrapeDuration * 1000).toFixed(1) + 'ms' : ''),
        el('td', { class: 'error' }, t.lastError || ''));
      body.append(tr);
    }
    table.append(body);
    box.append(table);
    root.append(box);
  }
  if (!root.firstChild) root.append(el('p', { class: 'muted' }, 'No targets match.'));
}

function renderSd() {
  const pool = document.getElementById('pool').value;
  const q = document.getElementById('search').value.trim();
  const root = document.getElementById('sd');
  root.replaceChildren();
  const table = el('table', {}, el('thead', {}, el('tr', {},
    el('th', {}, 'Pool'), el('th', {}, 'Discovered labels'), el('th', {}, 'Target labels'))));
  const body = el('tbody');
  const rows = [];
  for (const t of data.activeTargets) rows.push([t.scrapePool, t.discoveredLabels, t.labels]);
  for (const t of data.droppedTargets) {
    rows.push([t.scrapePool || (t.discoveredLabels && t.discoveredLabels.job) || '', t.discoveredLabels, null]);
  }
  for (const [p, disc, labels] of rows) {
    if (pool && p !== pool) continue;
    if (!matchesSearch(disc, q) && !matchesSearch(labels, q)) continue;
    body.append(el('tr', { class: labels ? 'active-target' : 'dropped-target' },
      el('td', {}, p), el('td', {}, labelBadges(disc)),
      el('td', {}, labels ? labelBadges(labels) : el('span', { class: 'muted' }, 'Dropped'))));
  }
  table.append(body);
  root.append(table);
}

function render() {
  const sd = document.getElementById('tab-sd').classList.contains('active');
  document.getElementById('targets').hidden = sd;
  document.getElementById('sd').hidden = !sd;
  document.getElementById('unhealthy').disabled = sd;
  if (sd) renderSd(); else renderTargets();
}

async function load() {
  const status = document.getElementById('status');
  try {
    data = await getJson('/api/v1/targets?state=any');
    const select = document.getElementById('pool');
    const current = select.value;
    const pools = [...new Set(data.activeTargets.map(t => t.scrapePool))].sort();
    select.replaceChildren(el('option', { value: '' }, 'All pools'),
      ...pools.map(p => el('option', { value: p }, p)));
    select.value = pools.includes(current) ? current : '';
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    status.textContent = 'could not load targets: ' + e.message;
  }
  render();
}

document.addEventListener('DOMContentLoaded', () => {
  for (const id of ['unhealthy', 'pool']) document.getElementById(id).addEventListener('change', render);
  document.getElementById('search').addEventListener('input', render);
  document.getElementById('refresh').addEventListener('click', load);
  for (const id of ['tab-targets', 'tab-sd']) {
    document.getElementById(id).addEventListener('click', () => {
      document.querySelectorAll('.tab').forEach(b => b.classList.toggle('active', b.id === id));
      render();
    });
  }
  if (location.hash === '#service-discovery') document.getElementById('tab-sd').click();
  load();
  setInterval(load, 15000);
});
