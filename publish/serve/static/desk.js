// publish serve: the proofing desk.  Plain JavaScript, no build step, nothing
// from the network.  Every change is a POST carrying the page's CSRF token.
'use strict';

const csrf = document.querySelector('meta[name=csrf]').content;

function notice(text, kind) {
  const box = document.getElementById('notice');
  box.textContent = text || '';
  box.className = kind || 'error';
  box.hidden = !text;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST', body: body || new FormData(), credentials: 'same-origin',
    headers: {'X-CSRF-Token': csrf},
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  if (!response.ok && !data.error) data.error = response.status + ' ' + response.statusText;
  return data;
}

// Replace the page's content with the server's current one (no reload).
async function refresh() {
  const response = await fetch(location.pathname, {credentials: 'same-origin'});
  if (!response.ok) return;
  const html = await response.text();
  const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('content');
  const scroll = window.scrollY;
  document.getElementById('content').replaceWith(fresh);
  window.scrollTo(0, scroll);
  bind();
}

let busy = false;
async function rebuild() {
  const proof = document.getElementById('proof');
  if (!proof) return;
  busy = true;
  document.body.classList.add('busy');
  const data = await post('/a/' + encodeURIComponent(proof.dataset.name) + '/build');
  document.body.classList.remove('busy');
  busy = false;
  if (data.error) notice(data.error);
  await refresh();
}

async function flip(line, join) {
  const proof = document.getElementById('proof');
  const body = new FormData();
  body.append('line', line);
  body.append('join', join);
  const data = await post('/a/' + encodeURIComponent(proof.dataset.name) + '/decision', body);
  if (data.error) { notice(data.error); return; }
  notice('');
  await refresh();
  await rebuild();
}

// Give the block starting at source line *line* the type *kind* ('' takes back a type given before).
async function setKind(line, kind) {
  const proof = document.getElementById('proof');
  const body = new FormData();
  body.append('line', line);
  body.append('kind', kind);
  const data = await post('/a/' + encodeURIComponent(proof.dataset.name) + '/block', body);
  if (data.error) { notice(data.error); return; }
  notice('');
  await refresh();
  await rebuild();
}

function bind() {
  document.querySelectorAll('.flip, .mark, .gap').forEach((el) => {
    el.onclick = () => flip(el.dataset.line, el.dataset.join);
  });
  // a click on a block's label offers the types it can be given
  document.querySelectorAll('.pick').forEach((button) => {
    const select = button.nextElementSibling;
    const close = () => { select.hidden = true; button.hidden = false; };
    button.onclick = () => {
      button.hidden = true;
      select.hidden = false;
      select.focus();
    };
    select.onblur = close;
    select.onkeydown = (event) => { if (event.key === 'Escape') { close(); button.focus(); } };
    select.onchange = () => { close(); setKind(select.dataset.line, select.value); };
  });
  document.querySelectorAll('form[data-post]').forEach((form) => {
    form.onsubmit = async (event) => {
      event.preventDefault();
      const data = await post(form.dataset.post, new FormData(form));
      if (data.error) { notice(data.error); return; }
      notice('');
      if (data.url) { location.href = data.url; return; }
      await refresh();
      await rebuild();
    };
  });
  const rebuildButton = document.getElementById('rebuild');
  if (rebuildButton) rebuildButton.onclick = rebuild;
  const buildAll = document.getElementById('build-all');
  if (buildAll) buildAll.onclick = async () => {
    const data = await post('/build');
    if (data.error) notice(data.error);
  };
  const text = document.getElementById('new-text');
  const file = document.querySelector('#new-article input[type=file]');
  const name = document.getElementById('new-name');
  if (text && name) {
    let edited = false;
    name.oninput = () => { edited = true; };
    const suggest = async (body) => {
      if (edited) return;
      const data = await post('/suggest-name', body);
      if (data.error) { notice(data.error); return; }
      notice('');
      if (data.name && !edited) name.value = data.name;
    };
    text.onchange = () => { const body = new FormData(); body.append('text', text.value); suggest(body); };
    file.onchange = () => {
      if (!file.files.length) return;
      const body = new FormData();
      body.append('file', file.files[0]);
      suggest(body);
    };
  }
}

// Files changed on disk (an editor, git pull, a build) show without a reload.
function watch() {
  let last = null;
  const events = new EventSource('/events');
  events.addEventListener('change', async (event) => {
    const now = JSON.parse(event.data);
    const progress = document.getElementById('build-progress');
    const state = document.getElementById('build-state');
    const buildAll = document.getElementById('build-all');
    if (progress && now.build.total) {
      progress.hidden = !now.build.running;
      progress.max = now.build.total;
      progress.value = now.build.done;
      state.textContent = now.build.running
        ? buildAll.dataset.label.replace('{done}', now.build.done).replace('{total}', now.build.total) : '';
    }
    const files = JSON.stringify(now.files);
    if (last !== null && files !== last && !busy && !now.build.running) await refresh();
    last = files;
  });
}

bind();
watch();
