// An in-memory implementation of docs/webmail-api.md for the browser tests, serving src/webmail/ui/ with
// the doc's security headers (so a CSP violation in the front end shows up as a console error).
// Run standalone: node mock_server.mjs [port]   (users alice/alice-pass and bob/bob-pass)
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { users, inboxFixtures, generatedMessage } from './mock_data.mjs';
import { loadHostileCorpus } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_UI = path.resolve(here, '../../src/webmail/ui');
const DEFAULT_CORPUS = process.env.CLARET_SHARED_DIR ? path.join(process.env.CLARET_SHARED_DIR, 'corpus') : path.resolve(here, '../../../shared/corpus');

export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
const SECURITY = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
};
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+$/;
function parseAddress(s) {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>]+)>\s*$/.exec(s);
  const email = (m ? m[2] : s).trim();
  if (!EMAIL.test(email)) return null;
  return { name: m ? (m[1] || '').trim() : '', email };
}

const bigCache = new Map();

class Mailbox {
  constructor(user, remoteBase, bigSize, corpus = []) {
    this.user = user;
    this.folders = new Map();
    const add = (name, special_use = '', parent = '') => this.folders.set(name, {
      name, parent, special_use, delimiter: '/', selectable: true, subscribed: true, uidvalidity: 1000 + this.folders.size, uidnext: 1, messages: [] });
    add('INBOX');
    add('Drafts', '\\Drafts');
    add('Sent', '\\Sent');
    add('Archive', '\\Archive');
    add('Junk', '\\Junk');
    add('Trash', '\\Trash');
    add('Projects');
    add('Projects/Claret', '', 'Projects');
    for (const m of inboxFixtures(user, remoteBase)) this.append('INBOX', m);
    if (corpus.length) { add('Corpus'); for (const m of corpus) this.append('Corpus', m); }
    if (bigSize) {
      add('Lists');
      add('Lists/Announcements', '', 'Lists');
      const f = this.folders.get('Lists/Announcements');
      // Generated once per process and shared (reset() between tests must stay cheap).
      if (!bigCache.has(bigSize)) {
        const base = Math.floor(Date.now() / 1000) - 86400;
        bigCache.set(bigSize, Array.from({ length: bigSize }, (_, i) => this.makeMessage(f, { ...generatedMessage(i, base), id: `ann-${i + 1}@lists.example.org` })));
      }
      f.messages = bigCache.get(bigSize).slice();
      f.uidnext = bigSize + 1;
    }
  }

  makeMessage(folder, m) {
    const uid = folder.uidnext++;
    const id = m.id || m.message_id || `${crypto.randomUUID()}@mock.example`;
    const msg = {
      uid, flags: new Set(m.flags || []), date: m.date || Math.floor(Date.now() / 1000), received: m.received || m.date || Math.floor(Date.now() / 1000),
      subject: m.subject || '', from: m.from || [], to: m.to || [], cc: m.cc || [], bcc: m.bcc || [], reply_to: m.reply_to || [],
      message_id: id, in_reply_to: m.in_reply_to || '', references: m.refs || m.references || '',
      text: m.text || '', html: m.html || '', parts: m.parts || [], compose: m.compose,
    };
    msg.size = m.size || (msg.text.length + msg.html.length + msg.parts.reduce((n, p) => n + p.data.length, 0) + 600);
    const refs = (msg.references.match(/<[^>]+>/g) || []).map((r) => r.slice(1, -1));
    msg.thread_root = refs[0] || msg.in_reply_to || msg.message_id;
    return msg;
  }

  append(folderName, m) {
    const f = this.folders.get(folderName);
    const msg = this.makeMessage(f, m);
    f.messages.push(msg);
    return msg;
  }
}

function summary(folder, m) {
  const threadSize = folder.messages.length > 1000 ? 1 : folder.messages.filter((x) => x.thread_root === m.thread_root).length;
  return {
    uid: m.uid, flags: [...m.flags], date: m.date, received: m.received, size: m.size, subject: m.subject,
    from: m.from, to: m.to, cc: m.cc, message_id: m.message_id, in_reply_to: m.in_reply_to,
    preview: (m.text || '').replace(/\s+/g, ' ').slice(0, 120), has_attachments: m.parts.some((p) => p.disposition === 'attachment'),
    thread_size: threadSize, thread_root: m.thread_root,
  };
}

const SORTS = {
  date_desc: (a, b) => b.date - a.date || b.uid - a.uid,
  date_asc: (a, b) => a.date - b.date || a.uid - b.uid,
  from_asc: (a, b) => ((a.from[0]?.name || a.from[0]?.email || '').localeCompare(b.from[0]?.name || b.from[0]?.email || '')) || a.uid - b.uid,
  subject_asc: (a, b) => a.subject.replace(/^(re|fwd?):\s*/i, '').localeCompare(b.subject.replace(/^(re|fwd?):\s*/i, '')) || a.uid - b.uid,
  size_desc: (a, b) => b.size - a.size || b.uid - a.uid,
};

function rawMessage(m) {
  const fmt = (l) => l.map((a) => (a.name ? `"${a.name}" <${a.email}>` : a.email)).join(', ');
  const lines = [`From: ${fmt(m.from)}`, `To: ${fmt(m.to)}`];
  if (m.cc.length) lines.push(`Cc: ${fmt(m.cc)}`);
  lines.push(`Subject: ${m.subject}`, `Date: ${new Date(m.date * 1000).toUTCString()}`, `Message-ID: <${m.message_id}>`);
  if (m.in_reply_to) lines.push(`In-Reply-To: <${m.in_reply_to}>`);
  if (m.references) lines.push(`References: ${m.references}`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', m.text);
  return lines.join('\r\n');
}

export async function startMockServer({ uiDir = DEFAULT_UI, port = 0, bigSize = 100000, uploadLimit = 1024 * 1024, corpusDir = DEFAULT_CORPUS } = {}) {
  const corpus = loadHostileCorpus(corpusDir);
  const sessions = new Map(); // token -> {user, csrf, uploads: Map, streams: Set}
  const mailboxes = new Map();
  const log = [];             // {method, path, status}
  const sent = [];            // Compose bodies accepted by /api/send
  const remoteHits = [];
  let remoteBase = '';
  const mailbox = (user) => mailboxes.get(user);
  // Sender identities per user (POST /api/identities replaces them); the fixture's first is the account's.
  const savedIdentities = new Map();
  const identitiesOf = (user) => savedIdentities.get(user) ||
    users[user].identities.map((i, n) => ({ id: `i${n + 1}`, name: i.name || '', email: i.email, reply_to: i.reply_to || '', signature: i.signature || '', server_known: n === 0 }));

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, { error: `mock server bug: ${err.message}` });
      else res.end();
    });
  });

  function headers(res, extra = {}) {
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    for (const [k, v] of Object.entries(SECURITY)) res.setHeader(k, v);
    for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  }
  function json(res, status, body) {
    headers(res, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.statusCode = status;
    res.end(JSON.stringify(body));
  }
  const err = (res, status, message) => json(res, status, { error: message });

  async function readBody(req, limit = 10 * 1024 * 1024) {
    const chunks = [];
    let size = 0, tooBig = false;
    for await (const c of req) { size += c.length; if (size > limit) tooBig = true; else chunks.push(c); }
    return { data: Buffer.concat(chunks), size, tooBig };
  }
  async function readJson(req, res) {
    const { data } = await readBody(req);
    try { return JSON.parse(data.toString('utf8') || '{}'); } catch { err(res, 400, 'The request body is not valid JSON.'); return null; }
  }

  function sessionOf(req) {
    const m = /(?:^|;\s*)claret_session=([^;]+)/.exec(req.headers.cookie || '');
    return m ? sessions.get(m[1]) : undefined;
  }

  function notify(user, folderName, change) {
    const f = mailbox(user).folders.get(folderName);
    const payload = JSON.stringify({ folder: folderName, exists: f ? f.messages.length : 0, expunged: change.expunged || [], flags_changed: change.flags_changed || [] });
    for (const s of sessions.values()) {
      if (s.user !== user) continue;
      for (const stream of s.streams) stream.write(`event: folder\ndata: ${payload}\n\n`);
    }
  }

  function deliver(toUser, m) {
    const msg = mailbox(toUser).append('INBOX', m);
    notify(toUser, 'INBOX', {});
    return msg;
  }

  function folderOr404(res, box, name) {
    const f = box.folders.get(name);
    if (!f) err(res, 404, `There is no folder named “${name}”.`);
    return f;
  }
  function messageOr404(res, f, uid) {
    const m = f.messages.find((x) => x.uid === Number(uid));
    if (!m) err(res, 404, 'That message no longer exists.');
    return m;
  }

  function composeToMessage(session, body, res) {
    const bad = [];
    const parsed = {};
    for (const k of ['to', 'cc', 'bcc']) {
      parsed[k] = [];
      for (const s of body[k] || []) { const a = parseAddress(s); if (a) parsed[k].push(a); else bad.push(s); }
    }
    if (bad.length) { err(res, 400, `“${bad[0]}” is not a valid email address.`); return null; }
    const u = users[session.user];
    const from = parseAddress(body.from || '') || { name: u.name, email: u.address };
    const parts = [];
    for (const id of body.attachments || []) {
      const up = session.uploads.get(id);
      if (!up) { err(res, 400, 'An attachment is no longer available; attach it again.'); return null; }
      parts.push({ section: String(parts.length + 2), content_type: up.type, filename: up.filename, disposition: 'attachment', content_id: '', data: up.data });
    }
    if (body.forward) {
      const box = mailbox(session.user);
      const f = box.folders.get(body.forward.folder);
      const orig = f && f.messages.find((x) => x.uid === Number(body.forward.uid));
      if (!orig) { err(res, 404, 'The message to forward no longer exists.'); return null; }
      parts.push({ section: String(parts.length + 2), content_type: 'message/rfc822', filename: `${orig.subject || 'message'}.eml`, disposition: 'attachment', content_id: '', data: Buffer.from(rawMessage(orig)) });
    }
    return {
      subject: body.subject || '', from: [from], to: parsed.to, cc: parsed.cc, bcc: parsed.bcc, text: body.text || '', html: body.html || '',
      in_reply_to: (body.in_reply_to || '').replace(/[<>]/g, ''), references: body.references || '', parts, compose: body,
    };
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    const q = Object.fromEntries(url.searchParams);
    res.on('finish', () => log.push({ method: req.method, path: p, query: q, status: res.statusCode }));

    if (p === '/remote/track.png') { remoteHits.push(Date.now()); res.setHeader('Content-Type', 'image/png'); res.end((await import('./mock_data.mjs')).PNG); return; }
    if (req.method === 'GET' && (p === '/' || p === '/index.html' || p.startsWith('/ui/'))) {
      const name = p === '/' || p === '/index.html' ? 'index.html' : p.slice(4);
      const files = fs.readdirSync(uiDir);
      if (!files.includes(name)) { err(res, 404, 'No such file.'); return; }
      headers(res, { 'Content-Type': TYPES[path.extname(name)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(fs.readFileSync(path.join(uiDir, name)));
      return;
    }
    if (!p.startsWith('/api/')) { err(res, 404, 'Not found.'); return; }

    if (p === '/api/login' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const name = String(body.username || '').replace(/@example\.test$/, '');
      const u = users[name];
      if (!u || u.password !== body.password) { err(res, 401, 'Wrong username or password.'); return; }
      if (!mailboxes.has(name)) mailboxes.set(name, new Mailbox(name, remoteBase, name === 'alice' ? bigSize : 0, name === 'alice' ? corpus : []));
      const token = crypto.randomBytes(16).toString('hex');
      const s = { user: name, csrf: crypto.randomBytes(16).toString('hex'), uploads: new Map(), streams: new Set() };
      sessions.set(token, s);
      res.setHeader('Set-Cookie', `claret_session=${token}; HttpOnly; SameSite=Strict; Path=/`);
      json(res, 200, { csrf: s.csrf, username: u.address, identities: identitiesOf(name) });
      return;
    }

    const session = sessionOf(req);
    if (!session) { err(res, 401, 'You are not signed in (or your session expired).'); return; }
    if (req.method !== 'GET' && req.headers['x-csrf-token'] !== session.csrf) { err(res, 403, 'Missing or wrong CSRF token.'); return; }
    const box = mailbox(session.user);
    const u = users[session.user];

    if (p === '/api/session' && req.method === 'GET') { json(res, 200, { csrf: session.csrf, username: u.address, identities: identitiesOf(session.user) }); return; }
    if (p === '/api/identities' && req.method === 'GET') { json(res, 200, { identities: identitiesOf(session.user) }); return; }
    if (p === '/api/identities' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      if (!Array.isArray(body.identities) || !body.identities.length) { err(res, 400, 'keep at least one identity'); return; }
      const known = identitiesOf(session.user).filter((i) => i.server_known);
      const list = [];
      let next = 100;
      for (const [n, i] of body.identities.entries()) {
        if (!parseAddress(String(i.email || '')) || /[<>\s]/.test(i.email)) { err(res, 400, `identity ${n + 1}: "${i.email}" is not an email address`); return; }
        list.push({ id: i.id || `i${next++}`, name: String(i.name || ''), email: i.email, reply_to: String(i.reply_to || ''), signature: String(i.signature || ''),
          server_known: known.some((k) => k.email.toLowerCase() === i.email.toLowerCase()) });
      }
      for (const k of known) if (!list.some((i) => i.email.toLowerCase() === k.email.toLowerCase())) list.push(k);
      savedIdentities.set(session.user, list);
      json(res, 200, { identities: list });
      return;
    }
    if (p === '/api/logout' && req.method === 'POST') {
      for (const [t, s] of sessions) if (s === session) sessions.delete(t);
      for (const st of session.streams) st.end('event: logout\ndata: {"reason":"logout"}\n\n');
      res.setHeader('Set-Cookie', 'claret_session=; Max-Age=0; Path=/');
      json(res, 200, {});
      return;
    }
    if (p === '/api/folders' && req.method === 'GET') {
      json(res, 200, { folders: [...box.folders.values()].map((f) => ({
        name: f.name, parent: f.parent, special_use: f.special_use, delimiter: f.delimiter, selectable: f.selectable, subscribed: f.subscribed,
        messages: f.messages.length, unseen: f.messages.reduce((n, m) => n + (m.flags.has('\\Seen') ? 0 : 1), 0) })) });
      return;
    }
    if (p === '/api/folders' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const name = String(body.name || '').trim();
      if (!name || /[*%]/.test(name)) { err(res, 400, 'That is not a valid folder name.'); return; }
      if (box.folders.has(name)) { err(res, 409, `A folder named “${name}” already exists.`); return; }
      const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
      box.folders.set(name, { name, parent, special_use: '', delimiter: '/', selectable: true, subscribed: true, uidvalidity: Date.now() % 100000, uidnext: 1, messages: [] });
      json(res, 201, {});
      return;
    }
    if (p === '/api/folders/rename' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const f = folderOr404(res, box, body.from); if (!f) return;
      if (f.name === 'INBOX' || f.special_use) { err(res, 400, 'This folder cannot be renamed.'); return; }
      if (!body.to || box.folders.has(body.to)) { err(res, 409, `A folder named “${body.to}” already exists.`); return; }
      box.folders.delete(f.name);
      f.name = body.to;
      box.folders.set(f.name, f);
      json(res, 200, {});
      return;
    }
    if (p === '/api/folders/delete' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const f = folderOr404(res, box, body.name); if (!f) return;
      if (f.name === 'INBOX' || f.special_use) { err(res, 400, 'This folder cannot be deleted.'); return; }
      box.folders.delete(f.name);
      json(res, 200, {});
      return;
    }
    if (p === '/api/messages' && req.method === 'GET') {
      const f = folderOr404(res, box, q.folder); if (!f) return;
      const offset = Math.max(0, Number(q.offset || 0)), limit = Math.min(500, Math.max(1, Number(q.limit || 50)));
      let ms = f.messages;
      if (q.unseen === '1') ms = ms.filter((m) => !m.flags.has('\\Seen'));
      if (q.flagged === '1') ms = ms.filter((m) => m.flags.has('\\Flagged'));
      if (q.q) {
        const needle = q.q.toLowerCase();
        ms = ms.filter((m) => [m.subject, m.text, ...m.from.map((a) => `${a.name} ${a.email}`), ...m.to.map((a) => `${a.name} ${a.email}`)].some((s) => s.toLowerCase().includes(needle)));
      }
      if (q.threaded === '1') {
        const latest = new Map();
        for (const m of ms) { const cur = latest.get(m.thread_root); if (!cur || m.date > cur.date) latest.set(m.thread_root, m); }
        ms = [...latest.values()];
      }
      const sort = SORTS[q.sort || 'date_desc'];
      if (!sort) { err(res, 400, `Unknown sort “${q.sort}”.`); return; }
      const sorted = (ms === f.messages && (q.sort || 'date_desc') === 'date_desc' && f.messages.length > 1000) ? [...ms].reverse() : [...ms].sort(sort);
      json(res, 200, { total: sorted.length, uidvalidity: f.uidvalidity, messages: sorted.slice(offset, offset + limit).map((m) => summary(f, m)) });
      return;
    }
    if ((p === '/api/message' || p === '/api/thread' || p === '/api/raw' || p === '/api/part' || p === '/api/message_html') && req.method === 'GET') {
      const f = folderOr404(res, box, q.folder); if (!f) return;
      const m = messageOr404(res, f, q.uid); if (!m) return;
      if (p === '/api/message') {
        json(res, 200, {
          summary: summary(f, m), reply_to: m.reply_to, bcc: m.bcc, references: m.references, text: m.text, html_sanitized: m.html,
          remote_content_blocked: /<img[^>]+src=["']?https?:/i.test(m.html),
          attachments: m.parts.map(({ data, ...part }) => ({ ...part, charset: '', size: data.length })),
        });
      } else if (p === '/api/thread') {
        json(res, 200, { messages: f.messages.filter((x) => x.thread_root === m.thread_root).sort(SORTS.date_asc).map((x) => summary(f, x)) });
      } else if (p === '/api/raw') {
        headers(res, { 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="message-${m.uid}.eml"` });
        res.end(rawMessage(m));
      } else if (p === '/api/part') {
        const part = m.parts.find((x) => x.section === q.section);
        if (!part) { err(res, 404, 'That attachment no longer exists.'); return; }
        headers(res, { 'Content-Type': part.content_type, 'Content-Disposition': `${q.download === '1' ? 'attachment' : 'inline'}; filename="${part.filename}"` });
        res.end(part.data);
      } else {
        const remote = q.remote === '1';
        let html = m.html.replace(/cid:([^"'\s>]+)/g, (all, cid) => {
          const part = m.parts.find((x) => x.content_id === cid);
          return part ? `/api/part?folder=${encodeURIComponent(f.name)}&uid=${m.uid}&section=${part.section}` : all;
        });
        if (!html) html = '<p></p>';
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        for (const [k, v] of Object.entries(SECURITY)) res.setHeader(k, v);
        res.setHeader('Content-Security-Policy', `default-src 'none'; img-src 'self' data: cid:${remote ? ' http: https:' : ''}; style-src 'unsafe-inline'`);
        res.end(html);
      }
      return;
    }
    if (['/api/flags', '/api/move', '/api/copy', '/api/delete'].includes(p) && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const f = folderOr404(res, box, body.folder); if (!f) return;
      const uids = new Set((body.uids || []).map(Number));
      const ms = f.messages.filter((m) => uids.has(m.uid));
      if (p === '/api/flags') {
        for (const m of ms) { for (const x of body.add || []) m.flags.add(x); for (const x of body.remove || []) m.flags.delete(x); }
        notify(session.user, f.name, { flags_changed: [...uids] });
        json(res, 200, {});
        return;
      }
      const trash = box.folders.get('Trash');
      const toName = p === '/api/delete' ? (f === trash ? null : 'Trash') : body.to;
      const to = toName ? folderOr404(res, box, toName) : null;
      if (toName && !to) return;
      if (to) for (const m of ms) { const copy = box.makeMessage(to, { ...m, flags: [...m.flags], refs: m.references, id: m.message_id }); copy.parts = m.parts; to.messages.push(copy); }
      if (p !== '/api/copy') f.messages = f.messages.filter((m) => !uids.has(m.uid));
      notify(session.user, f.name, { expunged: [...uids] });
      if (to) notify(session.user, to.name, {});
      json(res, 200, {});
      return;
    }
    if (p === '/api/upload' && req.method === 'POST') {
      const { data, tooBig } = await readBody(req, uploadLimit);
      if (tooBig) { err(res, 413, `The attachment is larger than the limit of ${Math.round(uploadLimit / 1024)} KB.`); return; }
      const id = crypto.randomBytes(8).toString('hex');
      session.uploads.set(id, { data, filename: q.filename || 'attachment', type: q.type || 'application/octet-stream' });
      json(res, 200, { id, size: data.length });
      return;
    }
    if (p === '/api/send' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const msg = composeToMessage(session, body, res); if (!msg) return;
      if (msg.to.length + msg.cc.length + msg.bcc.length === 0) { err(res, 400, 'Add at least one recipient.'); return; }
      const fail = [...msg.to, ...msg.cc, ...msg.bcc].find((a) => a.email.endsWith('@refused.example'));
      if (fail) { err(res, 502, `The mail server refused the recipient ${fail.email}: 550 mailbox unavailable.`); return; }
      sent.push(body);
      for (const a of [...msg.to, ...msg.cc, ...msg.bcc]) {
        const target = Object.keys(users).find((k) => users[k].address === a.email.toLowerCase());
        if (target && mailboxes.has(target)) deliver(target, { ...msg, flags: [] });
      }
      box.append('Sent', { ...msg, flags: ['\\Seen'] });
      notify(session.user, 'Sent', {});
      if (body.draft_uid !== undefined && body.draft_uid !== null) {
        const d = box.folders.get('Drafts');
        d.messages = d.messages.filter((m) => m.uid !== Number(body.draft_uid));
        notify(session.user, 'Drafts', {});
      }
      json(res, 200, {});
      return;
    }
    if (p === '/api/draft' && req.method === 'POST') {
      const body = await readJson(req, res); if (!body) return;
      const d = box.folders.get('Drafts');
      const bad = ['to', 'cc', 'bcc'].flatMap((k) => body[k] || []);
      const msg = { subject: body.subject || '', from: [{ name: u.name, email: u.address }],
        to: (body.to || []).map((s) => parseAddress(s) || { name: '', email: s }), cc: (body.cc || []).map((s) => parseAddress(s) || { name: '', email: s }),
        bcc: (body.bcc || []).map((s) => parseAddress(s) || { name: '', email: s }), text: body.text || '', html: body.html || '',
        in_reply_to: body.in_reply_to || '', references: body.references || '', flags: ['\\Draft', '\\Seen'], compose: body };
      void bad;
      if (body.draft_uid !== undefined && body.draft_uid !== null) d.messages = d.messages.filter((m) => m.uid !== Number(body.draft_uid));
      const saved = box.append('Drafts', msg);
      notify(session.user, 'Drafts', {});
      json(res, 200, { uid: saved.uid });
      return;
    }
    if (p === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'Content-Security-Policy': PAGE_CSP, ...SECURITY });
      res.write('retry: 1000\n: hello\n\n');
      session.streams.add(res);
      req.on('close', () => session.streams.delete(res));
      return;
    }
    err(res, 404, 'No such API call.');
  }

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = server.address().port;
  remoteBase = `http://localhost:${actualPort}`; // another origin than the page (127.0.0.1): a "remote" image
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  return {
    url: `http://127.0.0.1:${actualPort}`,
    log, sent, remoteHits, users, corpusCount: corpus.length,
    mailbox,
    deliver: (user, m) => { if (!mailboxes.has(user)) mailboxes.set(user, new Mailbox(user, remoteBase, user === 'alice' ? bigSize : 0, user === 'alice' ? corpus : [])); return deliver(user, m); },
    // Builds the 100,000 generated messages (shared by every later login) now: generating them blocks this
    // process — the test driver's too — for seconds on a loaded machine, which a test's 10 s waits cannot absorb.
    warm() { new Mailbox('alice', remoteBase, bigSize, corpus); },
    // Fresh fixtures for the next test (the request log is kept for the CSRF check).
    reset() {
      for (const s of sessions.values()) for (const st of s.streams) st.end();
      sessions.clear();
      mailboxes.clear();
      savedIdentities.clear();
      sent.length = 0;
      remoteHits.length = 0;
    },
    // keepStreams: leave open event streams alone, so only the next request notices.
    expireSessions({ keepStreams = false } = {}) {
      if (!keepStreams) for (const s of sessions.values()) for (const st of s.streams) st.end('event: logout\ndata: {"reason":"expired"}\n\n');
      sessions.clear();
    },
    async close() {
      for (const s of sessions.values()) for (const st of s.streams) st.end();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const mock = await startMockServer({ port: Number(process.argv[2] || 0) });
  console.log(`mock webmail API on ${mock.url}  (alice/alice-pass, bob/bob-pass)`);
  const stop = async () => { await mock.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
