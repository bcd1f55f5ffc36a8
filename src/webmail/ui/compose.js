// The compose window: recipients with validation and autocomplete, plain or rich body, uploads with
// progress, reply/forward quoting, automatic drafts, and send with errors shown in place.
import { api, upload } from './api.js';
import { el, addrFull, addrList, splitAddresses, isValidAddress, emailOf, formatFullDate, formatSize, debounce, setting } from './util.js';

const $ = (id) => document.getElementById(id);

function identityLabel(id) {
  if (typeof id === 'string') return id;
  return id.name ? `${id.name} <${id.email}>` : id.email;
}
function identitySignature(id) { return (id && typeof id === 'object' && id.signature) || ''; }

function prefixed(subject, prefix) {
  const s = subject || '';
  return new RegExp(`^${prefix}:`, 'i').test(s) ? s : `${prefix}: ${s}`;
}

function quote(text) {
  return (text || '').replace(/\s+$/, '').split('\n').map((l) => (l.startsWith('>') ? `>${l}` : `> ${l}`)).join('\n');
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export class Composer {
  constructor(handlers) {
    this.handlers = handlers; // onSent(), onDraftSaved(), toast(text), knownAddresses() -> [str], identities() -> []
    this.root = $('compose');
    this.form = $('compose-form');
    this.fields = { to: $('compose-to'), cc: $('compose-cc'), bcc: $('compose-bcc') };
    this.body = $('compose-body');
    this.rich = $('compose-rich');
    this.richMode = false;
    this.uploads = [];
    this.autosave = debounce(() => this.saveDraft(true), setting('autosaveMs', 3000));
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.send(); });
    this.form.addEventListener('input', (e) => this.onInput(e));
    $('compose-close').addEventListener('click', () => this.close(true));
    $('compose-discard').addEventListener('click', () => this.discard());
    $('compose-show-cc').addEventListener('click', () => this.showCc(true));
    $('compose-rich-toggle').addEventListener('click', () => this.setRich(!this.richMode));
    $('compose-from').addEventListener('change', () => this.switchIdentity());
    $('compose-file').addEventListener('change', (e) => { this.addFiles([...e.target.files]); e.target.value = ''; });
    for (const b of document.querySelectorAll('#rich-tools .fmt')) {
      b.addEventListener('mousedown', (e) => e.preventDefault());
      b.addEventListener('click', () => this.format(b.dataset.cmd));
    }
    for (const f of Object.values(this.fields)) f.addEventListener('blur', () => this.validateField(f));
    this.root.addEventListener('dragover', (e) => { if ([...e.dataTransfer.types].includes('Files')) { e.preventDefault(); this.root.classList.add('dropping'); } });
    this.root.addEventListener('dragleave', () => this.root.classList.remove('dropping'));
    this.root.addEventListener('drop', (e) => {
      this.root.classList.remove('dropping');
      if (!e.dataTransfer.files.length) return;
      e.preventDefault();
      this.addFiles([...e.dataTransfer.files]);
    });
    this.root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); this.close(true); }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.send(); }
    });
  }

  isOpen() { return !this.root.hidden; }

  // kind: 'new' | 'reply' | 'replyAll' | 'forward'; source: the /api/message answer plus its folder.
  open(kind = 'new', source = null, folder = null) {
    if (this.isOpen()) this.close(true);
    else this.returnFocus = document.activeElement;
    this.reset();
    const ids = this.handlers.identities();
    const fromSel = $('compose-from');
    fromSel.replaceChildren(...ids.map((id, i) => el('option', { value: String(i) }, identityLabel(id))));
    fromSel.closest('.field').hidden = ids.length === 0;
    this.identityIndex = 0;
    const sig = identitySignature(ids[0]);
    let text = sig ? `\n\n-- \n${sig}` : '';
    let title = 'New message';
    if (source) {
      const s = source.summary;
      const who = (s.from || [])[0];
      const header = `On ${formatFullDate(s.date)}, ${who ? addrFull(who) : 'someone'} wrote:`;
      if (kind === 'reply' || kind === 'replyAll') {
        title = 'Reply';
        const replyTo = (source.reply_to || []).length ? source.reply_to : s.from || [];
        this.fields.to.value = addrList(replyTo);
        if (kind === 'replyAll') {
          const mine = new Set(ids.map((id) => emailOf(identityLabel(id))));
          const seen = new Set(replyTo.map((a) => a.email.toLowerCase()));
          const others = [...(s.to || []), ...(s.cc || [])].filter((a) => {
            const e = a.email.toLowerCase();
            if (mine.has(e) || seen.has(e)) return false;
            seen.add(e);
            return true;
          });
          if (others.length) { this.fields.cc.value = addrList(others); this.showCc(true); }
        }
        $('compose-subject').value = prefixed(s.subject, 'Re');
        this.inReplyTo = s.message_id || '';
        this.references = [source.references || '', s.message_id || ''].join(' ').trim();
        text = `\n\n${sig ? `-- \n${sig}\n\n` : ''}${header}\n${quote(source.text)}`;
      } else if (kind === 'forward') {
        title = 'Forward';
        $('compose-subject').value = prefixed(s.subject, 'Fwd');
        this.forward = { folder, uid: s.uid };
        text = `${sig ? `\n\n-- \n${sig}` : ''}\n\n---------- Forwarded message ----------\nFrom: ${addrList(s.from)}\nDate: ${formatFullDate(s.date)}\nSubject: ${s.subject || ''}\nTo: ${addrList(s.to)}\n\n${source.text || ''}`;
        this.uploadsNote = `Original message attached: ${s.subject || '(no subject)'}.eml`;
        this.renderUploads();
      }
    }
    $('compose-title').textContent = title;
    this.body.value = text;
    this.body.setSelectionRange(0, 0);
    this.root.hidden = false;
    this.dirty = false;
    document.body.classList.add('composing');
    this.updateSuggestions('');
    (this.fields.to.value ? this.body : this.fields.to).focus();
  }

  // Reopen a saved draft (from the Drafts folder).
  openDraft(msg) {
    this.open('new');
    const s = msg.summary;
    this.fields.to.value = addrList(s.to);
    this.fields.cc.value = addrList(s.cc);
    this.fields.bcc.value = addrList(msg.bcc);
    if (this.fields.cc.value || this.fields.bcc.value) this.showCc(true);
    $('compose-subject').value = s.subject || '';
    this.body.value = msg.text || '';
    this.draftUid = s.uid;
    this.inReplyTo = s.in_reply_to || '';
    this.references = msg.references || '';
    $('compose-title').textContent = 'Draft';
  }

  reset() {
    this.autosave.cancel();
    this.form.reset();
    for (const f of Object.values(this.fields)) { f.value = ''; this.setFieldError(f, ''); }
    this.showCc(false);
    this.setRich(false);
    this.rich.replaceChildren();
    this.uploads = [];
    this.uploadsNote = '';
    this.renderUploads();
    this.draftUid = null;
    this.inReplyTo = '';
    this.references = '';
    this.forward = null;
    this.sending = false;
    this.setError('');
    $('compose-status').textContent = '';
  }

  showCc(on) {
    for (const f of document.querySelectorAll('.cc-field')) f.hidden = !on;
    $('compose-show-cc').hidden = on;
  }

  setRich(on) {
    if (on === this.richMode) return;
    this.richMode = on;
    $('compose-rich-toggle').setAttribute('aria-pressed', String(on));
    $('rich-tools').hidden = !on;
    if (on) {
      this.rich.replaceChildren(...this.body.value.split('\n').map((line) => el('div', {}, line || el('br'))));
      this.body.hidden = true;
      this.rich.hidden = false;
      this.rich.focus();
    } else {
      if (this.rich.innerText) this.body.value = this.rich.innerText.replace(/\n$/, '');
      this.rich.hidden = true;
      this.body.hidden = false;
    }
  }

  format(cmd) {
    this.rich.focus();
    if (cmd === 'createLink') {
      const url = window.prompt('Link address (https://…)');
      if (!url || !/^(https?:|mailto:)/i.test(url.trim())) return;
      document.execCommand('createLink', false, url.trim());
    } else {
      document.execCommand(cmd, false);
    }
    this.onInput({ target: this.rich });
  }

  onInput(e) {
    this.dirty = true;
    const f = e.target;
    if (Object.values(this.fields).includes(f)) {
      this.updateSuggestions(f.value);
      if (f.getAttribute('aria-invalid') === 'true') this.validateField(f);
    }
    this.autosave();
  }

  // The datalist offers whole-field values: what was typed before the last comma plus a known address.
  updateSuggestions(value) {
    const parts = value.split(',');
    const last = parts.pop().trim().toLowerCase();
    const head = parts.length ? parts.join(',') + ', ' : '';
    const list = $('address-suggestions');
    const known = this.handlers.knownAddresses();
    const matches = known.filter((a) => !last || a.toLowerCase().includes(last)).slice(0, 8);
    list.replaceChildren(...matches.map((a) => el('option', { value: head + a })));
  }

  setFieldError(field, message) {
    const err = $(`${field.id}-error`);
    err.textContent = message;
    err.hidden = !message;
    if (message) field.setAttribute('aria-invalid', 'true'); else field.removeAttribute('aria-invalid');
  }

  validateField(field) {
    const bad = splitAddresses(field.value).filter((t) => !isValidAddress(t));
    this.setFieldError(field, bad.length ? `${bad.map((b) => `“${b}”`).join(', ')} ${bad.length > 1 ? 'are not valid addresses' : 'is not a valid address'}. Use name@example.com.` : '');
    return bad.length === 0;
  }

  setError(message) {
    const e = $('compose-error');
    e.textContent = message;
    e.hidden = !message;
  }

  addFiles(files) {
    const max = setting('maxUploadBytes', 25 * 1024 * 1024);
    for (const file of files) {
      const u = { file, name: file.name, size: file.size, progress: 0, id: null, error: '' };
      this.uploads.push(u);
      if (file.size > max) { u.error = `too large (${formatSize(file.size)}; the limit is ${formatSize(max)})`; continue; }
      u.promise = upload(file, (p) => { u.progress = p; this.renderUploads(); })
        .then((answer) => { u.id = answer.id; u.progress = 1; this.dirty = true; this.autosave(); })
        .catch((err) => { u.error = err.status === 413 ? `too large for the server: ${err.message}` : err.message; })
        .finally(() => this.renderUploads());
    }
    this.renderUploads();
  }

  renderUploads() {
    const list = $('compose-attachments');
    const items = this.uploads.map((u) => {
      const remove = el('button.icon-button.small', { type: 'button', 'aria-label': `Remove ${u.name}` }, '×');
      remove.addEventListener('click', () => { this.uploads = this.uploads.filter((x) => x !== u); this.renderUploads(); this.autosave(); });
      const state = u.error ? el('span.chip-error', { role: 'alert' }, u.error)
        : u.id ? el('span.chip-size', {}, formatSize(u.size))
          : el('progress', { max: '1', value: String(u.progress), 'aria-label': `Uploading ${u.name}` });
      return el('li.attachment-chip' + (u.error ? '.failed' : ''), {}, el('span.chip-name', {}, u.name), state, remove);
    });
    if (this.uploadsNote) items.unshift(el('li.attachment-chip.note', {}, this.uploadsNote));
    list.replaceChildren(...items);
  }

  // Another From was chosen: its signature replaces the previous one (plain text body).
  switchIdentity() {
    const ids = this.handlers.identities();
    const before = identitySignature(ids[this.identityIndex]);
    this.identityIndex = Number($('compose-from').value) || 0;
    const after = identitySignature(ids[this.identityIndex]);
    if (this.richMode || before === after) return;
    const text = this.body.value;
    const oldBlock = `-- \n${before}`;
    if (before && text.includes(oldBlock)) {
      this.body.value = after ? text.replace(oldBlock, `-- \n${after}`) : text.replace(`\n\n${oldBlock}`, '').replace(oldBlock, '');
    } else if (after) {
      this.body.value = `${text.replace(/\s+$/, '')}\n\n-- \n${after}`;
    }
    this.dirty = true;
  }

  compose() {
    const ids = this.handlers.identities();
    const identity = ids[Number($('compose-from').value) || 0];
    const from = ids.length ? identityLabel(identity) : '';
    const msg = {
      from,
      reply_to: (identity && typeof identity === 'object' && identity.reply_to) || '',
      to: splitAddresses(this.fields.to.value),
      cc: splitAddresses(this.fields.cc.value),
      bcc: splitAddresses(this.fields.bcc.value),
      subject: $('compose-subject').value,
      text: this.richMode ? this.rich.innerText : this.body.value,
      in_reply_to: this.inReplyTo,
      references: this.references,
      attachments: this.uploads.filter((u) => u.id).map((u) => u.id),
    };
    if (this.richMode) msg.html = `<!doctype html><html><body>${this.rich.innerHTML}</body></html>`;
    if (this.forward) msg.forward = this.forward;
    return msg;
  }

  async saveDraft(automatic) {
    if (!this.isOpen() || !this.dirty || this.sending) return;
    const status = $('compose-status');
    status.textContent = 'Saving draft…';
    this.dirty = false;
    try {
      const answer = await api('POST', '/api/draft', { ...this.compose(), draft_uid: this.draftUid ?? undefined });
      if (answer.uid !== undefined) this.draftUid = answer.uid;
      status.textContent = `Draft saved ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
      this.handlers.onDraftSaved();
    } catch (err) {
      this.dirty = true;
      status.textContent = automatic ? 'Draft not saved' : '';
      if (!automatic) throw err;
      if (err.status !== 401) this.setError(`The draft could not be saved: ${err.message}`);
    }
  }

  async send() {
    if (this.sending) return;
    this.setError('');
    let ok = true;
    for (const f of Object.values(this.fields)) ok = this.validateField(f) && ok;
    const msg = this.compose();
    if (!ok) { this.setError('Please fix the highlighted addresses.'); return; }
    if (msg.to.length + msg.cc.length + msg.bcc.length === 0) {
      this.setFieldError(this.fields.to, 'Add at least one recipient.');
      this.fields.to.focus();
      return;
    }
    const pending = this.uploads.filter((u) => !u.id && !u.error && u.promise);
    if (pending.length) {
      $('compose-status').textContent = 'Waiting for attachments…';
      await Promise.allSettled(pending.map((u) => u.promise));
    }
    if (this.uploads.some((u) => u.error)) { this.setError('Remove the attachments that failed before sending.'); return; }
    this.sending = true;
    this.autosave.cancel();
    const button = $('compose-send');
    button.disabled = true;
    button.textContent = 'Sending…';
    try {
      await api('POST', '/api/send', { ...this.compose(), draft_uid: this.draftUid ?? undefined });
      this.hide();
      this.handlers.onSent();
    } catch (err) {
      this.setError(`Not sent: ${err.message}`);
    } finally {
      this.sending = false;
      button.disabled = false;
      button.textContent = 'Send';
    }
  }

  hide() {
    this.autosave.cancel();
    this.root.hidden = true;
    document.body.classList.remove('composing');
    if (this.returnFocus && document.contains(this.returnFocus) && this.returnFocus !== document.body) this.returnFocus.focus();
    else document.getElementById('message-list').focus();
    this.returnFocus = null;
  }

  async close(saveDraft) {
    if (!this.isOpen()) return;
    const hasContent = this.fields.to.value || $('compose-subject').value || (this.richMode ? this.rich.innerText.trim() : this.body.value.trim());
    if (saveDraft && this.dirty && hasContent) {
      try { await this.saveDraft(false); this.handlers.toast('Draft saved'); } catch (err) {
        this.setError(`The draft could not be saved: ${err.message}. Copy your text before closing.`);
        return;
      }
    }
    this.hide();
  }

  async discard() {
    const uid = this.draftUid;
    this.hide();
    if (uid !== null && uid !== undefined) this.handlers.discardDraft(uid);
  }
}

export { escapeHtml };
