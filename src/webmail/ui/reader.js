// The reading pane: header, actions, the body (sanitised HTML in a sandboxed iframe, or linkified text),
// remote-image opt-in, attachments, and the conversation (/api/thread) around the message.
import { api, query, getText } from './api.js';
import { el, svg, addrLabel, addrList, formatFullDate, formatSize, linkify } from './util.js';
import { icons } from './icons.js';

function partUrl(folder, uid, section, download) {
  return '/api/part?' + query({ folder, uid, section, download: download ? 1 : undefined });
}

function actionButton(icon, label, onclick, extra = '') {
  return el('button.tool' + extra, { type: 'button', 'aria-label': label, title: label, onclick }, svg(icon), el('span.tool-label', {}, label.replace(/ \(.*\)$/, '')));
}

export class Reader {
  constructor(root, handlers) {
    this.root = root;
    this.handlers = handlers; // reply(msg, all), forward(msg), star(summary), unread(summary), remove(summary), back(), showSource(folder, uid)
    this.folder = null;
    this.message = null;
    this.token = 0;
  }

  clear() {
    this.token++;
    this.message = null;
    this.root.replaceChildren(el('div.empty-state', {}, el('p', {}, 'No message selected'),
      el('p.hint', {}, 'Press ', el('kbd', {}, '?'), ' for keyboard shortcuts')));
  }

  async show(folder, summary) {
    const token = ++this.token;
    this.folder = folder;
    this.root.replaceChildren(el('div.loading', { role: 'status' }, 'Loading message…'));
    let msg;
    try {
      msg = await api('GET', '/api/message?' + query({ folder, uid: summary.uid }));
    } catch (err) {
      if (token !== this.token) return;
      this.root.replaceChildren(el('div.banner.error', { role: 'alert' }, `Could not open this message: ${err.message}`));
      return;
    }
    if (token !== this.token) return;
    this.message = msg;
    msg.summary = msg.summary || summary;
    // A real server's /api/message knows nothing of conversations (IMAP threads only when the list is asked
    // threaded; it says thread_size 1): keep the conversation size of the list row the message was opened from.
    if ((summary.thread_size || 0) > (msg.summary.thread_size || 0)) {
      msg.summary.thread_size = summary.thread_size;
      msg.summary.thread_root = summary.thread_root;
    }
    const view = el('article.message-view', { 'aria-labelledby': 'msg-subject' });
    view.append(this.toolbar(msg));
    view.append(el('h1.msg-subject', { id: 'msg-subject' }, msg.summary.subject || '(no subject)'));
    const conv = el('div.conversation');
    view.append(conv);
    const card = this.messageCard(folder, msg, true);
    conv.append(card);
    this.root.replaceChildren(view);
    this.root.scrollTop = 0;
    if ((msg.summary.thread_size || 0) > 1) this.loadThread(folder, msg, conv, card, token);
  }

  toolbar(msg) {
    const s = msg.summary;
    const starred = (s.flags || []).includes('\\Flagged');
    return el('div.reader-toolbar', { role: 'toolbar', 'aria-label': 'Message actions' },
      el('button.tool.back.mobile-only', { type: 'button', 'aria-label': 'Back to list', onclick: () => this.handlers.back() }, svg(icons.back)),
      actionButton(icons.reply, 'Reply (r)', () => this.handlers.reply(msg, false)),
      actionButton(icons.replyAll, 'Reply all (a)', () => this.handlers.reply(msg, true)),
      actionButton(icons.forward, 'Forward (f)', () => this.handlers.forward(msg)),
      el('span.spacer'),
      actionButton(icons.star, starred ? 'Unstar (s)' : 'Star (s)', () => this.handlers.star(s), (starred ? '.on' : '') + '.icon-only'),
      actionButton(icons.mail, 'Mark unread (u)', () => this.handlers.unread(s), '.icon-only'),
      actionButton(icons.trash, 'Delete (#)', () => this.handlers.remove(s), '.icon-only'),
      actionButton(icons.code, 'View source', () => this.handlers.showSource(this.folder, s.uid), '.icon-only'));
  }

  messageCard(folder, msg, expanded) {
    const s = msg.summary;
    const from = (s.from || [])[0] || { name: '', email: '' };
    const card = el('section.msg-card' + (expanded ? '.expanded' : ''), { dataset: { uid: s.uid } });
    const head = el('header.msg-head', {},
      el('div.avatar', { 'aria-hidden': 'true' }, (addrLabel(from)[0] || '?').toUpperCase()),
      el('div.msg-meta', {},
        el('div.msg-from', {}, el('strong', {}, from.name || from.email), from.name ? el('span.email', {}, ` <${from.email}>`) : null),
        el('div.msg-to', {}, 'to ', addrList(s.to) || '(no recipients)',
          (s.cc || []).length ? `, cc ${addrList(s.cc)}` : '',
          (msg.bcc || []).length ? `, bcc ${addrList(msg.bcc)}` : '')),
      el('time.msg-date', { datetime: new Date((s.date || 0) * 1000).toISOString() }, formatFullDate(s.date)));
    card.append(head);
    card.append(this.body(folder, msg));
    if ((msg.attachments || []).length) card.append(this.attachments(folder, s.uid, msg.attachments));
    return card;
  }

  body(folder, msg) {
    const uid = msg.summary.uid;
    const wrap = el('div.msg-body');
    const hasHtml = typeof msg.html_sanitized === 'string' && msg.html_sanitized.trim() !== '';
    const text = msg.text || '';
    const showText = () => wrap.replaceChildren(el('pre.text-body', {}, linkify(text)));
    if (!hasHtml) {
      if (text) showText(); else wrap.append(el('p.hint', {}, 'This message has no text.'));
      return wrap;
    }
    const frame = (remote) => {
      // Never allow-scripts: nothing in the mail runs (its own CSP has no script-src either). allow-same-origin
      // (safe without scripts) lets the frame's cid: images (/api/part) carry our SameSite=Strict cookie and
      // lets us size the frame to its content and open links in a new tab.
      const f = el('iframe.html-body', {
        sandbox: 'allow-same-origin allow-popups allow-popups-to-escape-sandbox',
        referrerpolicy: 'no-referrer',
        title: 'Message content',
        src: '/api/message_html?' + query({ folder, uid, remote: remote ? 1 : 0 }),
      });
      f.addEventListener('load', () => fitFrame(f));
      return f;
    };
    const controls = el('div.body-controls');
    let current = frame(false);
    if (msg.remote_content_blocked) {
      const banner = el('div.banner.info.remote-banner', { role: 'note' },
        el('span', {}, 'Remote images are hidden to protect your privacy.'),
        el('button.link-button.show-remote', { type: 'button', onclick: () => {
          const f = frame(true); current.replaceWith(f); current = f; banner.remove();
        } }, 'Show images'));
      controls.append(banner);
    }
    if (text) {
      let plain = false;
      const toggle = el('button.link-button.toggle-plain', { type: 'button' }, 'Show plain text');
      const textView = el('pre.text-body', { hidden: true }, linkify(text));
      toggle.addEventListener('click', () => {
        plain = !plain;
        textView.hidden = !plain;
        current.hidden = plain;
        toggle.textContent = plain ? 'Show formatted' : 'Show plain text';
      });
      controls.append(toggle);
      wrap.append(controls, current, textView);
    } else {
      wrap.append(controls, current);
    }
    return wrap;
  }

  attachments(folder, uid, parts) {
    const list = el('ul.attachments', { 'aria-label': 'Attachments' });
    for (const p of parts) {
      const name = p.filename || `part-${p.section}`;
      const isImage = /^image\/(png|jpeg|gif|webp|bmp)$/i.test(p.content_type || '');
      const item = el('li.attachment', {},
        isImage ? el('img.thumb', { src: partUrl(folder, uid, p.section, false), alt: name, loading: 'lazy' })
          : el('span.file-icon', { 'aria-hidden': 'true' }, (name.split('.').pop() || 'file').slice(0, 4).toUpperCase()),
        el('div.att-meta', {}, el('span.att-name', {}, name),
          el('span.att-info', {}, `${(p.content_type || 'application/octet-stream').toLowerCase()} · ${formatSize(p.size || 0)}`)),
        el('div.att-actions', {},
          isImage ? el('a.button.small', { href: partUrl(folder, uid, p.section, false), target: '_blank', rel: 'noopener' }, 'View') : null,
          el('a.button.small', { href: partUrl(folder, uid, p.section, true), download: name, 'aria-label': `Download ${name}` }, 'Download')));
      list.append(item);
    }
    return el('div.attachments-wrap', {}, el('h2.att-title', {}, `${parts.length} attachment${parts.length > 1 ? 's' : ''}`), list);
  }

  async loadThread(folder, msg, conv, card, token) {
    let answer;
    try { answer = await api('GET', '/api/thread?' + query({ folder, uid: msg.summary.uid })); } catch { return; }
    if (token !== this.token || !answer.messages || answer.messages.length < 2) return;
    const nodes = answer.messages.map((s) => {
      if (s.uid === msg.summary.uid) return card;
      return this.collapsedCard(folder, s);
    });
    conv.replaceChildren(el('p.thread-note', {}, `${answer.messages.length} messages in this conversation`), ...nodes);
  }

  collapsedCard(folder, s) {
    const from = (s.from || [])[0] || {};
    const card = el('section.msg-card.collapsed', { dataset: { uid: s.uid } });
    const head = el('button.msg-head.collapsed-head', { type: 'button', 'aria-expanded': 'false' },
      el('div.avatar', { 'aria-hidden': 'true' }, (addrLabel(from)[0] || '?').toUpperCase()),
      el('div.msg-meta', {}, el('div.msg-from', {}, el('strong', {}, addrLabel(from))), el('div.preview', {}, s.preview || '')),
      el('time.msg-date', {}, formatFullDate(s.date)));
    head.addEventListener('click', async () => {
      head.disabled = true;
      try {
        const m = await api('GET', '/api/message?' + query({ folder, uid: s.uid }));
        m.summary = m.summary || s;
        card.replaceWith(this.messageCard(folder, m, true));
      } catch (err) {
        head.disabled = false;
        card.append(el('div.banner.error', { role: 'alert' }, err.message));
      }
    });
    card.append(head);
    return card;
  }
}

// Height of the content, and links opening outside (the mail is not allowed to navigate our frame).
function fitFrame(frame) {
  let doc;
  try { doc = frame.contentDocument; } catch { return; }
  if (!doc || !doc.documentElement) return;
  for (const a of doc.querySelectorAll('a[href]')) { a.target = '_blank'; a.rel = 'noopener noreferrer'; }
  // offsetHeight of <html> is the content's height (scrollHeight is never less than the frame itself).
  const h = doc.documentElement.offsetHeight;
  frame.style.height = `${Math.min(Math.max(h + 24, 160), 20000)}px`;
  frame.style.flex = 'none';
}

export async function loadSource(folder, uid) {
  return getText('/api/raw?' + query({ folder, uid }));
}
export function rawUrl(folder, uid) { return '/api/raw?' + query({ folder, uid }); }
