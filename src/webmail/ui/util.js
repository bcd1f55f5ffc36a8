// Small DOM and formatting helpers shared by the views.

// el('div.cls', {attr: v, onclick: fn}, child, 'text', ...) — builds DOM without innerHTML, so message
// data can never become markup.
export function el(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag || 'div');
  if (classes.length) node.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Our own constant SVG markup (never message data) parsed into a node.
export function svg(markup) {
  const t = document.createElement('template');
  t.innerHTML = markup;
  return t.content.firstElementChild;
}

export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

// Today: time; this year: "Mar 4"; older: "2023-03-04".
export function formatListDate(unix) {
  if (!unix) return '';
  const d = new Date(unix * 1000), now = new Date();
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  return d.toISOString().slice(0, 10);
}

export function formatFullDate(unix) {
  if (!unix) return '';
  return new Date(unix * 1000).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

export function addrLabel(a) { return (a && (a.name || a.email)) || ''; }
export function addrFull(a) {
  if (!a) return '';
  if (!a.name) return a.email;
  const needsQuotes = /[",;<>@()[\]:\\]/.test(a.name);
  return `${needsQuotes ? '"' + a.name.replace(/["\\]/g, '\\$&') + '"' : a.name} <${a.email}>`;
}
export function addrList(list) { return (list || []).map(addrFull).join(', '); }

// Splits "a@b, "Doe, J" <j@d>" on the commas that separate addresses (not those inside quotes or <>).
export function splitAddresses(value) {
  const out = [];
  let cur = '', quoted = false, angle = 0;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    if ((ch === ',' || ch === ';') && !quoted && angle === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur.trim());
  return out.filter((s) => s.length > 0);
}

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const LOCAL_EMAIL = /^[^\s@<>(),;:"[\]]+@[A-Za-z0-9-]+$/;
// True for "a@b.c", "Name <a@b.c>", "\"Doe, J\" <j@d.e>" (and single-label domains like a@localhost).
export function isValidAddress(token) {
  const m = /^(.*)<([^<>]*)>$/.exec(token.trim());
  const email = m ? m[2].trim() : token.trim();
  if (m && /[<>]/.test(m[1])) return false;
  return EMAIL.test(email) || LOCAL_EMAIL.test(email);
}
export function emailOf(token) {
  const m = /<([^<>]*)>\s*$/.exec(token);
  return (m ? m[1] : token).trim().toLowerCase();
}

// Plain text with URLs and addresses made clickable, built as DOM nodes.
const LINK = /\b(https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]|mailto:[^\s<>"']+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
export function linkify(text) {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    frag.append(text.slice(last, m.index));
    const href = m[0].includes('://') || m[0].startsWith('mailto:') ? m[0] : `mailto:${m[0]}`;
    frag.append(el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, m[0]));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

export function debounce(fn, ms) {
  let t = null;
  const wrapped = (...args) => { clearTimeout(t); t = setTimeout(() => { t = null; fn(...args); }, ms); };
  wrapped.cancel = () => { clearTimeout(t); t = null; };
  wrapped.pending = () => t !== null;
  return wrapped;
}

// Tunables a test (or a curious user) may override in localStorage, e.g. claret.undoMs.
export function setting(name, fallback) {
  try {
    const v = localStorage.getItem(`claret.${name}`);
    return v === null ? fallback : Number(v);
  } catch { return fallback; }
}
