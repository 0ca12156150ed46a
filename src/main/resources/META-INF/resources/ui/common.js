// Shared helpers. Every value from the API reaches the page through textContent, never as HTML:
// label values are set by the scraped targets and may contain markup.
'use strict';

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json();
  if (body.status !== 'success') {
    throw new Error(body.error || ('HTTP ' + r.status));
  }
  return body.data;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c == null) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

function labelBadges(labels) {
  const span = el('span');
  for (const [k, v] of Object.entries(labels || {})) {
    span.append(el('span', { class: 'label' }, k + '="' + v + '"'));
  }
  return span;
}

function labelText(labels) {
  return Object.entries(labels || {}).map(([k, v]) => k + '=' + v).join(' ');
}

function ago(iso) {
  if (!iso || iso.startsWith('0001-')) return 'never';
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (s < 1) return 'just now';
  if (s < 120) return s.toFixed(1) + 's ago';
  if (s < 7200) return Math.round(s / 60) + 'm ago';
  return Math.round(s / 3600) + 'h ago';
}
