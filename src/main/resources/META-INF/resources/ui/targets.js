'use strict';

let data = { activeTargets: [], droppedTargets: [] };
const collapsed = new Set();
// Relabel steps shown on the Service discovery tab, by pool and discovered labels.
const relabelSteps = new Map();

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
        el('td', { class: 'error' }, t.lastError || '', warningList(t.scrapeWarnings)));
      body.append(tr);
    }
    table.append(body);
    box.append(table);
    root.append(box);
  }
  if (!root.firstChild) root.append(el('p', { class: 'muted' }, 'No targets match.'));
}

// The warnings of the last scrape: rules of the format the page broke that Prometheus accepts.
function warningList(warnings) {
  if (!warnings || warnings.length === 0) return null;
  return el('details', { class: 'warnings' },
    el('summary', {}, warnings.length + (warnings.length === 1 ? ' warning' : ' warnings')),
    el('ul', {}, ...warnings.map(w => el('li', { class: 'warning' }, w))));
}

function stepsKey(pool, disc) {
  return pool + '\u0000' + JSON.stringify(disc);
}

function ruleText(rule) {
  const parts = [rule.action || 'replace'];
  if (rule.source_labels) parts.push('source_labels=[' + rule.source_labels.join(', ') + ']');
  if (rule.regex !== undefined) parts.push('regex=' + rule.regex);
  if (rule.modulus) parts.push('modulus=' + rule.modulus);
  if (rule.target_label) parts.push('target_label=' + rule.target_label);
  if (rule.replacement !== undefined && rule.replacement !== '$1') parts.push('replacement=' + rule.replacement);
  return parts.join(' ');
}

function stepsTable(result) {
  if (typeof result === 'string') return el('p', { class: 'error' }, result);
  if (result.steps.length === 0) return el('p', { class: 'muted' }, 'The pool has no relabel_configs.');
  const body = el('tbody');
  result.steps.forEach((s, i) => body.append(el('tr', { class: 'relabel-step' + (s.keep ? '' : ' dropped') },
    el('td', {}, String(i + 1)), el('td', {}, ruleText(s.rule)),
    el('td', {}, s.keep ? labelBadges(s.output) : el('span', { class: 'muted' }, 'Dropped')))));
  return el('table', { class: 'steps' }, el('thead', {}, el('tr', {},
    el('th', {}, '#'), el('th', {}, 'Rule'), el('th', {}, 'Labels after the rule'))), body);
}

async function toggleSteps(pool, disc) {
  const key = stepsKey(pool, disc);
  if (relabelSteps.has(key)) {
    relabelSteps.delete(key);
  } else {
    const q = '?scrapePool=' + encodeURIComponent(pool) + '&labels=' + encodeURIComponent(JSON.stringify(disc));
    try {
      relabelSteps.set(key, await getJson('/api/v1/targets/relabel_steps' + q));
    } catch (e) {
      relabelSteps.set(key, 'could not load relabel steps: ' + e.message);
    }
  }
  render();
}

function renderSd() {
  const pool = document.getElementById('pool').value;
  const q = document.getElementById('search').value.trim();
  const root = document.getElementById('sd');
  root.replaceChildren();
  const table = el('table', {}, el('thead', {}, el('tr', {},
    el('th', {}, 'Pool'), el('th', {}, 'Discovered labels'), el('th', {}, 'Target labels'),
    el('th', {}, 'Relabeling'))));
  const body = el('tbody');
  const rows = [];
  for (const t of data.activeTargets) rows.push([t.scrapePool, t.discoveredLabels, t.labels]);
  for (const t of data.droppedTargets) {
    rows.push([t.scrapePool || (t.discoveredLabels && t.discoveredLabels.job) || '', t.discoveredLabels, null]);
  }
  for (const [p, disc, labels] of rows) {
    if (pool && p !== pool) continue;
    if (!matchesSearch(disc, q) && !matchesSearch(labels, q)) continue;
    const key = stepsKey(p, disc);
    const button = el('button', { type: 'button', class: 'show-steps' },
      relabelSteps.has(key) ? 'Hide steps' : 'Show steps');
    button.addEventListener('click', () => toggleSteps(p, disc));
    body.append(el('tr', { class: labels ? 'active-target' : 'dropped-target' },
      el('td', {}, p), el('td', {}, labelBadges(disc)),
      el('td', {}, labels ? labelBadges(labels) : el('span', { class: 'muted' }, 'Dropped')),
      el('td', {}, button)));
    if (relabelSteps.has(key)) {
      body.append(el('tr', { class: 'steps-row' },
        el('td', { colspan: '4' }, stepsTable(relabelSteps.get(key)))));
    }
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
