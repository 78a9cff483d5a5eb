// fairshare dashboard: the pages work without this file (forms submit by GET).
// With it, changing a control redraws the page in place and keeps the view in the
// URL (history.pushState), so the address bar is always a link to what is shown.
'use strict';

function queryOf(form) {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) {
    if (String(v).trim() !== '') params.append(k, String(v).trim());
  }
  return params.toString();
}

async function load(url, push) {
  const main = document.querySelector('main');
  main.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(url, { headers: { Accept: 'text/html' } });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try { message = JSON.parse(text).error; } catch (_) { /* not JSON */ }
      showError(message);
      return;
    }
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const next = doc.querySelector('main');
    if (next) main.replaceChildren(...next.childNodes);
    document.title = doc.title;
    if (push) history.pushState(null, '', url);
  } catch (e) {
    showError(String(e));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

function showError(message) {
  let p = document.querySelector('main .error');
  if (!p) {
    p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    const form = document.querySelector('main form.controls');
    if (form) form.after(p); else document.querySelector('main').prepend(p);
  }
  p.textContent = message;
}

document.addEventListener('change', (ev) => {
  const form = ev.target.closest && ev.target.closest('form.controls');
  if (!form) return;
  const url = form.getAttribute('action') + '?' + queryOf(form);
  load(url, true);
});

document.addEventListener('submit', (ev) => {
  const form = ev.target.closest('form.controls');
  if (!form) return;
  ev.preventDefault();
  load(form.getAttribute('action') + '?' + queryOf(form), true);
});

window.addEventListener('popstate', () => load(location.pathname + location.search, false));

// Hover values: each chart mark carries a <title> ("Japan, 2024: 1.36% of GDP");
// show it in a readout that also works for keyboard focus.
const tip = document.createElement('div');
tip.className = 'tip';
tip.hidden = true;
document.addEventListener('DOMContentLoaded', () => document.body.appendChild(tip));
document.addEventListener('mouseover', (ev) => {
  const mark = ev.target.closest && ev.target.closest('.mark');
  if (!mark) { tip.hidden = true; return; }
  const t = mark.querySelector('title');
  if (!t) return;
  tip.textContent = t.textContent;
  tip.hidden = false;
  tip.style.left = (ev.pageX + 12) + 'px';
  tip.style.top = (ev.pageY + 12) + 'px';
});
