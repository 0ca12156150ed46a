'use strict';

document.addEventListener('DOMContentLoaded', async () => {
  const pre = document.getElementById('config');
  const reload = document.getElementById('reload');
  try {
    const r = await getJson('/api/v1/status/reload');
    reload.append(el('span', { class: r.lastReloadSuccessful ? 'ok' : 'failed' },
      r.lastReloadSuccessful ? 'successful' : 'failed'),
      ' at ' + (r.lastReloadTime || 'never'));
    if (r.lastError) reload.append(el('pre', { class: 'error' }, r.lastError));
  } catch (e) {
    reload.textContent = 'unavailable: ' + e.message;
  }
  try {
    pre.textContent = (await getJson('/api/v1/status/config')).yaml;
  } catch (e) {
    pre.textContent = 'unavailable: ' + e.message;
  }
});
