// The message list: a virtual scroller over the server's paged /api/messages. Only the pages around the
// visible rows are fetched and only the visible rows exist in the DOM, so 100,000 messages cost the same
// as 100.
import { api, query } from './api.js';
import { el, svg, addrLabel, formatListDate, formatSize } from './util.js';
import { icons } from './icons.js';

const PAGE = 100;
const OVERSCAN = 8;

export class MessageList {
  constructor(viewport, handlers) {
    this.viewport = viewport;
    this.canvas = viewport.querySelector('.list-canvas');
    this.handlers = handlers; // onOpen(index, summary), onChange(), onError(err), onLoaded(total)
    this.params = null;
    this.generation = 0;
    this.pages = new Map();      // page index -> array of summaries | 'loading'
    this.total = 0;
    this.cursor = -1;            // index of the focused row
    this.selected = new Set();   // uids
    this.anchor = -1;            // shift-click range start
    this.openUid = null;
    this.removing = new Set();   // uids waiting for an undo-able delete/move
    this.rowHeight = 72;
    this.rendered = new Map();   // index -> row element
    viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  // A new folder/sort/filter/search: forget everything and start at the top.
  reset(params) {
    this.params = params;
    this.generation++;
    this.pages.clear();
    this.stale = new Set();
    this.pendingOpen = undefined;
    this.total = 0;
    this.cursor = -1;
    this.anchor = -1;
    this.selected.clear();
    this.openUid = null;
    this.canvas.replaceChildren();
    this.rendered.clear();
    this.viewport.scrollTop = 0;
    this.rowHeight = parseFloat(getComputedStyle(this.viewport).getPropertyValue('--row-h')) || 72;
    return this.loadPage(0, true);
  }

  // New mail or changed flags: refetch what is on screen, keep scroll position and selection. The old rows stay
  // usable (keyboard, clicks) until their fresh copies arrive.
  refresh() {
    this.generation++;
    this.stale = new Set(this.pages.keys());
    for (const [p, rows] of this.pages) if (!Array.isArray(rows)) this.pages.delete(p);
    return this.loadPage(this.firstVisiblePage(), true);
  }

  firstVisiblePage() { return Math.floor(Math.floor(this.viewport.scrollTop / this.rowHeight) / PAGE); }

  async loadPage(page, replaceAll = false) {
    if (!this.params) return;
    const generation = this.generation;
    if (!replaceAll && this.pages.has(page) && !this.stale?.has(page)) return;
    this.stale?.delete(page);
    if (!this.pages.has(page)) this.pages.set(page, 'loading');
    try {
      const answer = await api('GET', '/api/messages?' + query({ ...this.params, offset: page * PAGE, limit: PAGE }));
      if (generation !== this.generation) return;
      this.pages.set(page, answer.messages || []);
      this.total = answer.total ?? 0;
      // New mail above shifts indexes: keep the cursor on the message the user is reading.
      if (this.openUid !== null) { const i = this.indexOfUid(this.openUid); if (i >= 0) this.cursor = i; }
      if (this.pendingOpen !== undefined && this.summaryAt(this.pendingOpen)) { const i = this.pendingOpen; this.pendingOpen = undefined; this.open(i); }
      this.uidvalidity = answer.uidvalidity;
      this.canvas.style.height = `${this.total * this.rowHeight}px`;
      this.handlers.onLoaded(this.total);
      this.render(true);
    } catch (err) {
      if (generation !== this.generation) return;
      if (!Array.isArray(this.pages.get(page))) this.pages.delete(page);
      this.handlers.onError(err);
    }
  }

  summaryAt(index) {
    const page = this.pages.get(Math.floor(index / PAGE));
    return Array.isArray(page) ? page[index % PAGE] : undefined;
  }

  indexOfUid(uid) {
    for (const [p, rows] of this.pages) {
      if (!Array.isArray(rows)) continue;
      const i = rows.findIndex((m) => m.uid === uid);
      if (i >= 0) return p * PAGE + i;
    }
    return -1;
  }

  loadedSummaries() {
    const out = [];
    for (const rows of this.pages.values()) if (Array.isArray(rows)) out.push(...rows);
    return out;
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(false); });
  }

  render(force) {
    const h = this.rowHeight;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / h) - OVERSCAN);
    const last = Math.min(this.total - 1, Math.ceil((this.viewport.scrollTop + this.viewport.clientHeight) / h) + OVERSCAN);
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last) / PAGE); p++) {
      if ((!this.pages.has(p) || this.stale?.has(p)) && p * PAGE < Math.max(this.total, 1)) this.loadPage(p);
    }
    for (const [i, row] of this.rendered) {
      if (i < first || i > last || force) { row.remove(); this.rendered.delete(i); }
    }
    for (let i = first; i <= last; i++) {
      if (this.rendered.has(i)) continue;
      const row = this.buildRow(i, this.summaryAt(i));
      row.style.transform = `translateY(${i * h}px)`;
      this.canvas.append(row);
      this.rendered.set(i, row);
    }
    if (this.cursor >= 0) this.viewport.setAttribute('aria-activedescendant', `row-${this.cursor}`);
    else this.viewport.removeAttribute('aria-activedescendant');
  }

  buildRow(index, m) {
    if (!m) return el('div.row.placeholder', { id: `row-${index}`, role: 'option', 'aria-selected': 'false', 'aria-busy': 'true' }, el('span.skeleton'));
    const flags = m.flags || [];
    const unread = !flags.includes('\\Seen');
    const starred = flags.includes('\\Flagged');
    const sel = this.selected.has(m.uid);
    const classes = ['row', unread && 'unread', sel && 'selected', index === this.cursor && 'cursor',
      m.uid === this.openUid && 'open', this.removing.has(m.uid) && 'removing'].filter(Boolean).join('.');
    const people = this.params.showRecipients ? (m.to || []) : (m.from || []);
    const who = people.map(addrLabel).join(', ') || (this.params.showRecipients ? '(no recipients)' : '(unknown sender)');
    const star = el('button.star' + (starred ? '.on' : ''), {
      type: 'button', tabindex: '-1', 'aria-label': starred ? 'Unstar' : 'Star', 'aria-pressed': String(starred),
    }, svg(icons.star));
    star.addEventListener('click', (e) => { e.stopPropagation(); this.handlers.onStar(m); });
    const check = el('input.row-check', { type: 'checkbox', tabindex: '-1', 'aria-label': 'Select' });
    check.checked = sel;
    check.addEventListener('click', (e) => { e.stopPropagation(); this.toggle(index, m); });
    const row = el(`div.${classes}`, {
      id: `row-${index}`, role: 'option', 'aria-selected': String(sel || m.uid === this.openUid),
      draggable: 'true', dataset: { uid: m.uid, index },
    },
    check, star,
    el('div.row-main', {},
      el('div.row-top', {},
        el('span.from', { title: people.map((a) => a.email).join(', ') }, who),
        m.thread_size > 1 ? el('span.thread-count', { 'aria-label': `${m.thread_size} messages` }, String(m.thread_size)) : null,
        m.has_attachments ? el('span.clip', { 'aria-label': 'Has attachments' }, svg(icons.paperclip)) : null,
        el('time.date', { datetime: new Date((m.date || 0) * 1000).toISOString(), title: formatSize(m.size || 0) }, formatListDate(m.date))),
      el('div.subject', {}, m.subject || '(no subject)'),
      el('div.preview', {}, m.preview || '')));
    if (unread) row.append(el('span.visually-hidden', {}, ' unread'));
    row.addEventListener('click', (e) => this.onClick(e, index, m));
    row.addEventListener('dragstart', (e) => this.onDragStart(e, m));
    // Touch: a long press (the context menu gesture) starts or extends a multi-selection.
    row.addEventListener('contextmenu', (e) => {
      if (!window.matchMedia('(pointer: coarse)').matches) return;
      e.preventDefault();
      this.toggle(index, m);
    });
    return row;
  }

  onClick(e, index, m) {
    if (e.shiftKey && this.anchor >= 0) {
      const [a, b] = [Math.min(this.anchor, index), Math.max(this.anchor, index)];
      if (!(e.ctrlKey || e.metaKey)) this.selected.clear();
      for (let i = a; i <= b; i++) { const s = this.summaryAt(i); if (s) this.selected.add(s.uid); }
      this.cursor = index;
      this.changed();
      return;
    }
    if (e.ctrlKey || e.metaKey) { this.toggle(index, m); return; }
    this.selected.clear();
    this.anchor = index;
    this.open(index);
  }

  toggle(index, m) {
    if (this.selected.has(m.uid)) this.selected.delete(m.uid); else this.selected.add(m.uid);
    this.anchor = index;
    this.cursor = index;
    this.changed();
  }

  onDragStart(e, m) {
    if (!this.selected.has(m.uid)) { this.selected.clear(); this.selected.add(m.uid); this.changed(); }
    const uids = [...this.selected];
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('application/x-claret-messages', JSON.stringify({ folder: this.params.folder, uids }));
    e.dataTransfer.setData('text/plain', `${uids.length} message${uids.length > 1 ? 's' : ''}`);
  }

  changed() { this.render(true); this.handlers.onChange(); }

  open(index) {
    const m = this.summaryAt(index);
    if (!m) return;
    this.cursor = index;
    this.anchor = index;
    this.openUid = m.uid;
    this.scrollIntoView(index);
    this.changed();
    this.handlers.onOpen(index, m);
  }

  moveCursor(delta, openIt) {
    if (this.total === 0) return;
    const next = Math.max(0, Math.min(this.total - 1, (this.cursor < 0 ? -1 : this.cursor) + delta));
    this.cursor = next;
    this.scrollIntoView(next);
    this.pendingOpen = undefined;
    if (openIt && this.summaryAt(next)) this.open(next);
    else { if (openIt) this.pendingOpen = next; this.changed(); }
  }

  scrollIntoView(index) {
    const top = index * this.rowHeight, vp = this.viewport;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + this.rowHeight > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + this.rowHeight - vp.clientHeight;
  }

  // The messages an action applies to: the selection, else the focused/open message.
  targets() {
    if (this.selected.size) return this.loadedSummaries().filter((m) => this.selected.has(m.uid));
    const m = this.cursor >= 0 ? this.summaryAt(this.cursor) : null;
    return m ? [m] : [];
  }

  selectAllLoaded(on) {
    this.selected.clear();
    if (on) for (const m of this.loadedSummaries()) this.selected.add(m.uid);
    this.changed();
  }

  // Local echo of a flag change so the row updates before the server confirms.
  patchFlags(uids, add, remove) {
    for (const m of this.loadedSummaries()) {
      if (!uids.includes(m.uid)) continue;
      const f = new Set(m.flags || []);
      for (const x of add) f.add(x);
      for (const x of remove) f.delete(x);
      m.flags = [...f];
    }
    this.render(true);
  }
}
