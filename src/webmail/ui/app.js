// Entry point: session and login, wiring of folder tree, message list, reading pane and composer,
// message actions (with undo), live updates over Server-Sent Events, keyboard shortcuts, phone layout.
import { api, setCsrf, setUnauthorizedHandler } from './api.js';
import { svg, addrFull, setting } from './util.js';
import { icons } from './icons.js';
import { showIdentities } from './identities.js';
import { FolderTree, displayName, findSpecial, specialKind } from './folders.js';
import { MessageList } from './list.js';
import { Reader, loadSource, rawUrl } from './reader.js';
import { Composer } from './compose.js';
import { ask, confirmDialog, toast, undoLast, showHelp, helpOpen, anyOverlayOpen, showSource, hideToast } from './dialogs.js';

const $ = (id) => document.getElementById(id);

const state = {
  session: null,
  folders: [],
  folder: 'INBOX',
  sort: 'date_desc',
  q: '',
  unseen: false,
  flagged: false,
  threaded: false,
  events: null,
  pending: null,             // undo-able delete/move waiting to be committed
  known: new Set(),          // addresses seen, for compose autocomplete
};

// ---------- phone layout: one pane at a time ----------
function setPane(pane) {
  document.body.dataset.pane = pane;
  $('sidebar-scrim').hidden = pane !== 'folders';
}
const isNarrow = () => window.matchMedia('(max-width: 700px)').matches;

// ---------- session ----------
function showLogin(notice = '') {
  closeEvents();
  state.session = null;
  setCsrf('');
  if (composer.isOpen()) composer.hide();
  $('boot').hidden = true;
  $('app').hidden = true;
  $('login-view').hidden = false;
  $('login-notice').textContent = notice;
  $('login-notice').hidden = !notice;
  $('login-error').hidden = true;
  $('login-pass').value = '';
  $('login-user').focus();
}

async function startApp(session) {
  state.session = session;
  setCsrf(session.csrf);
  $('login-view').hidden = true;
  $('boot').hidden = true;
  $('app').hidden = false;
  $('user-name').textContent = session.username || '';
  for (const id of session.identities || []) state.known.add(typeof id === 'string' ? id : addrFull(id));
  await loadFolders();
  selectFolder(state.folders.some((f) => f.name === state.folder) ? state.folder : 'INBOX');
  openEvents();
}

setUnauthorizedHandler(() => {
  if (state.session) showLogin('Your session has expired. Please sign in again.');
});

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const username = $('login-user').value.trim(), password = $('login-pass').value;
  const err = $('login-error');
  err.hidden = true;
  if (!username || !password) {
    err.textContent = !username ? 'Enter your email address or username.' : 'Enter your password.';
    err.hidden = false;
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  button.textContent = 'Signing in…';
  try {
    const session = await api('POST', '/api/login', { username, password }, { quietUnauthorized: true });
    $('login-notice').hidden = true;
    await startApp(session);
  } catch (ex) {
    err.textContent = ex.status === 401 ? 'Wrong username or password.' : ex.message;
    err.hidden = false;
    $('login-pass').select();
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
});

$('logout-button').addEventListener('click', async () => {
  await commitPending();
  try { await api('POST', '/api/logout', undefined, { quietUnauthorized: true }); } catch { /* gone anyway */ }
  showLogin('You have signed out.');
});

// ---------- folders ----------
const tree = new FolderTree($('folder-tree'), {
  onSelect: (name) => { selectFolder(name); if (isNarrow()) setPane('list'); },
  onDropMessages: (to, { folder, uids }) => moveMessages(folder, uids, to),
});

async function loadFolders() {
  try {
    const answer = await api('GET', '/api/folders');
    state.folders = answer.folders || [];
    tree.set(state.folders, state.folder);
    const move = $('move-select');
    move.replaceChildren(move.options[0], ...state.folders.filter((f) => f.selectable !== false)
      .map((f) => { const o = document.createElement('option'); o.value = f.name; o.textContent = displayName(f) === f.name ? f.name : `${displayName(f)} (${f.name})`; return o; }));
    const cur = state.folders.find((f) => f.name === state.folder);
    const unseen = state.folders.find((f) => specialKind(f) === 'inbox')?.unseen || 0;
    document.title = unseen ? `(${unseen}) Inbox – Mail` : 'Mail';
    updateFolderButtons(cur);
  } catch (err) {
    if (err.status !== 401) showListError(`Could not load your folders: ${err.message}`);
  }
}

function updateFolderButtons(cur) {
  const locked = !cur || specialKind(cur) !== '';
  $('folder-rename').disabled = locked;
  $('folder-delete').disabled = locked;
}

function currentFolder() { return state.folders.find((f) => f.name === state.folder); }

function selectFolder(name) {
  commitPending();
  state.folder = name;
  tree.set(state.folders, name);
  updateFolderButtons(currentFolder());
  reader.clear();
  reloadList();
}

const folderNameProblem = (v) => {
  if (!v) return 'Enter a name.';
  if (state.folders.some((f) => f.name.toLowerCase() === v.toLowerCase())) return 'A folder with that name already exists.';
  if (/[*%]/.test(v)) return 'Folder names cannot contain * or %.';
  return '';
};

$('folder-new').addEventListener('click', async () => {
  const name = await ask({ title: 'New folder', label: 'Folder name', ok: 'Create', validate: folderNameProblem });
  if (!name) return;
  try {
    await api('POST', '/api/folders', { name });
    toast(`Folder “${name}” created`);
    await loadFolders();
  } catch (err) { toast(`Could not create the folder: ${err.message}`, { ms: 8000 }); }
});

$('folder-rename').addEventListener('click', async () => {
  const from = state.folder;
  const to = await ask({ title: 'Rename folder', label: 'New name', value: from, ok: 'Rename', validate: (v) => (v === from ? 'Choose a different name.' : folderNameProblem(v)) });
  if (!to) return;
  try {
    await api('POST', '/api/folders/rename', { from, to });
    state.folder = to;
    toast(`Renamed to “${to}”`);
    await loadFolders();
    selectFolder(to);
  } catch (err) { toast(`Could not rename the folder: ${err.message}`, { ms: 8000 }); }
});

$('folder-delete').addEventListener('click', async () => {
  const name = state.folder;
  const f = currentFolder();
  const count = f?.messages || 0;
  const ok = await confirmDialog('Delete folder?', `“${name}”${count ? ` and its ${count} message${count > 1 ? 's' : ''}` : ''} will be deleted permanently.`, 'Delete');
  if (!ok) return;
  try {
    await api('POST', '/api/folders/delete', { name });
    toast(`Folder “${name}” deleted`);
    state.folder = 'INBOX';
    await loadFolders();
    selectFolder('INBOX');
  } catch (err) { toast(`Could not delete the folder: ${err.message}`, { ms: 8000 }); }
});

// ---------- message list ----------
const list = new MessageList($('message-list'), {
  onOpen: (index, m) => openMessage(m),
  onChange: () => updateBulk(),
  onError: (err) => { if (err.status !== 401) showListError(`Could not load messages: ${err.message}`); },
  onLoaded: (total) => {
    $('list-error').hidden = true;
    const what = state.q ? `${total.toLocaleString()} result${total === 1 ? '' : 's'}` : `${total.toLocaleString()} message${total === 1 ? '' : 's'}`;
    $('list-status').textContent = what;
    $('message-list').classList.toggle('empty', total === 0);
    for (const m of list.loadedSummaries()) for (const a of [...(m.from || []), ...(m.to || []), ...(m.cc || [])]) if (a.email) state.known.add(addrFull(a));
  },
  onStar: (m) => toggleFlag([m], '\\Flagged'),
});

function showListError(message) {
  const e = $('list-error');
  e.textContent = message;
  e.hidden = false;
}

function reloadList() {
  const f = currentFolder();
  const kind = f ? specialKind(f) : '';
  $('list-title').textContent = state.q ? `Search: ${state.q}` : f ? displayName(f) : state.folder;
  $('list-status').textContent = 'Loading…';
  list.reset({
    folder: state.folder, sort: state.sort, q: state.q, unseen: state.unseen, flagged: state.flagged, threaded: state.threaded,
    showRecipients: kind === 'sent' || kind === 'drafts',
  });
  updateBulk();
}

function updateBulk() {
  const n = list.selected.size;
  $('select-all').checked = n > 0 && n === list.loadedSummaries().length;
  $('select-all').indeterminate = n > 0 && !$('select-all').checked;
  document.body.classList.toggle('has-selection', n > 0);
}

$('select-all').addEventListener('change', (e) => list.selectAllLoaded(e.target.checked));
$('sort-select').addEventListener('change', (e) => { state.sort = e.target.value; reloadList(); });
for (const [id, key] of [['filter-unread', 'unseen'], ['filter-flagged', 'flagged'], ['filter-threaded', 'threaded']]) {
  $(id).addEventListener('click', () => {
    state[key] = !state[key];
    $(id).setAttribute('aria-pressed', String(state[key]));
    reloadList();
  });
}
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.q = $('search-input').value.trim();
  reader.clear();
  reloadList();
  $('message-list').focus();
  if (isNarrow()) setPane('list');
});
$('search-input').addEventListener('search', () => { if (!$('search-input').value && state.q) { state.q = ''; reloadList(); } });
$('search-input').addEventListener('keydown', (e) => {
  if (e.key === 'Escape') { $('search-input').value = ''; if (state.q) { state.q = ''; reloadList(); } $('message-list').focus(); }
});

$('bulk-actions').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action]');
  if (b) runAction(b.dataset.action);
});
$('move-select').addEventListener('change', (e) => {
  const to = e.target.value;
  e.target.value = '';
  const targets = list.targets();
  if (to && targets.length) moveMessages(state.folder, targets.map((m) => m.uid), to);
});

$('message-list').addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); list.moveCursor(e.key === 'ArrowDown' ? 1 : -1, !isNarrow()); }
  else if (e.key === ' ' && list.cursor >= 0) { e.preventDefault(); const m = list.summaryAt(list.cursor); if (m) list.toggle(list.cursor, m); }
});

// ---------- reading ----------
const reader = new Reader($('reader'), {
  reply: (msg, all) => composer.open(all ? 'replyAll' : 'reply', msg, state.folder),
  forward: (msg) => composer.open('forward', msg, state.folder),
  star: (s) => toggleFlag([s], '\\Flagged'),
  unread: (s) => { setFlag([s], '\\Seen', false); reader.clear(); if (isNarrow()) setPane('list'); },
  remove: (s) => deleteMessages(state.folder, [s.uid]),
  back: () => { setPane('list'); $('message-list').focus(); },
  showSource: async (folder, uid) => {
    try { showSource(await loadSource(folder, uid), rawUrl(folder, uid)); } catch (err) { toast(`Could not load the source: ${err.message}`); }
  },
});

function openMessage(m) {
  const kind = specialKind(currentFolder() || { name: '' });
  if (kind === 'drafts') {
    api('GET', `/api/message?folder=${encodeURIComponent(state.folder)}&uid=${m.uid}`)
      .then((msg) => { msg.summary = msg.summary || m; composer.openDraft(msg); })
      .catch((err) => toast(`Could not open the draft: ${err.message}`));
    return;
  }
  reader.show(state.folder, m);
  setPane('message');
  if (!(m.flags || []).includes('\\Seen')) setFlag([m], '\\Seen', true, { quiet: true });
}

// ---------- actions ----------
async function setFlag(messages, flag, on, { quiet = false } = {}) {
  const uids = messages.map((m) => m.uid);
  if (!uids.length) return;
  const before = new Map(messages.map((m) => [m.uid, (m.flags || []).includes(flag)]));
  list.patchFlags(uids, on ? [flag] : [], on ? [] : [flag]);
  try {
    await api('POST', '/api/flags', { folder: state.folder, uids, add: on ? [flag] : [], remove: on ? [] : [flag] });
    if (flag === '\\Seen') loadFolders();
    if (!quiet) {
      const label = flag === '\\Seen' ? (on ? 'Marked as read' : 'Marked as unread') : (on ? 'Starred' : 'Star removed');
      toast(uids.length > 1 ? `${label} (${uids.length})` : label, {
        undo: () => {
          const add = uids.filter((u) => before.get(u)), remove = uids.filter((u) => !before.get(u));
          if (add.length) setFlag(messages.filter((m) => add.includes(m.uid)), flag, true, { quiet: true });
          if (remove.length) setFlag(messages.filter((m) => remove.includes(m.uid)), flag, false, { quiet: true });
        },
      });
    }
  } catch (err) {
    list.patchFlags(uids, on ? [] : [flag], on ? [flag] : []);
    if (err.status !== 401) toast(`Could not change the flag: ${err.message}`, { ms: 8000 });
  }
}

function toggleFlag(messages, flag) {
  if (!messages.length) return;
  const allOn = messages.every((m) => (m.flags || []).includes(flag));
  setFlag(messages, flag, !allOn);
  if (reader.message && messages.some((m) => m.uid === reader.message.summary.uid) && flag === '\\Flagged') {
    const s = list.loadedSummaries().find((m) => m.uid === reader.message.summary.uid);
    if (s) { reader.message.summary.flags = s.flags; const t = document.querySelector('.reader-toolbar'); if (t) t.replaceWith(reader.toolbar(reader.message)); }
  }
}

// Deletes and moves wait a few seconds before reaching the server, so Undo is instant and exact.
function scheduleRemoval(folder, uids, to, label) {
  commitPending();
  const wasOpen = reader.message && uids.includes(reader.message.summary.uid);
  for (const u of uids) list.removing.add(u);
  list.selected.clear();
  list.render(true);
  updateBulk();
  if (wasOpen) { reader.clear(); if (isNarrow()) setPane('list'); }
  const ms = setting('undoMs', 5000);
  const pending = { folder, uids, to, timer: setTimeout(() => commitPending(), ms) };
  state.pending = pending;
  toast(label, {
    ms,
    undo: () => {
      if (state.pending !== pending) return;
      clearTimeout(pending.timer);
      state.pending = null;
      for (const u of uids) list.removing.delete(u);
      list.render(true);
      toast('Undone');
    },
  });
}

async function commitPending(keepalive = false) {
  const p = state.pending;
  if (!p) return;
  state.pending = null;
  clearTimeout(p.timer);
  try {
    if (p.to) await api('POST', '/api/move', { folder: p.folder, uids: p.uids, to: p.to }, { keepalive });
    else await api('POST', '/api/delete', { folder: p.folder, uids: p.uids }, { keepalive });
  } catch (err) {
    if (err.status !== 401) toast(`Could not ${p.to ? 'move' : 'delete'} the messages: ${err.message}`, { ms: 8000 });
  } finally {
    for (const u of p.uids) list.removing.delete(u);
  }
  if (p.folder === state.folder) list.refresh();
  loadFolders();
}
window.addEventListener('pagehide', () => commitPending(true));

function deleteMessages(folder, uids) {
  if (!uids.length) return;
  const trash = findSpecial(state.folders, 'trash');
  const inTrash = trash && trash.name === folder;
  const n = uids.length === 1 ? 'Message' : `${uids.length} messages`;
  if (inTrash || !trash) {
    confirmDialog('Delete forever?', `${n} will be deleted permanently.`, 'Delete forever').then((ok) => {
      if (!ok) return;
      api('POST', '/api/delete', { folder, uids }).then(() => { reader.clear(); list.refresh(); loadFolders(); toast(`${n} deleted`); })
        .catch((err) => toast(`Could not delete: ${err.message}`, { ms: 8000 }));
    });
    return;
  }
  scheduleRemoval(folder, uids, null, `${n} moved to Trash`);
}

function moveMessages(folder, uids, to) {
  if (!uids.length || to === folder) return;
  const f = state.folders.find((x) => x.name === to);
  scheduleRemoval(folder, uids, to, `${uids.length === 1 ? 'Message' : `${uids.length} messages`} moved to ${f ? displayName(f) : to}`);
}

function runAction(action) {
  const targets = list.targets();
  const uids = targets.map((m) => m.uid);
  if (!targets.length) { toast('Select a message first'); return; }
  if (action === 'delete') deleteMessages(state.folder, uids);
  else if (action === 'archive') {
    const archive = findSpecial(state.folders, 'archive');
    if (!archive) toast('There is no Archive folder'); else moveMessages(state.folder, uids, archive.name);
  } else if (action === 'read') setFlag(targets, '\\Seen', true);
  else if (action === 'unread') setFlag(targets, '\\Seen', false);
  else if (action === 'toggleRead') setFlag(targets, '\\Seen', !targets.every((m) => (m.flags || []).includes('\\Seen')));
  else if (action === 'star') toggleFlag(targets, '\\Flagged');
}

// ---------- compose ----------
const composer = new Composer({
  identities: () => state.session?.identities || [],
  knownAddresses: () => [...state.known].sort(),
  toast: (t) => toast(t),
  onSent: () => { toast('Message sent'); loadFolders(); if (specialKind(currentFolder() || { name: '' }) === 'sent') list.refresh(); },
  onDraftSaved: () => { if (specialKind(currentFolder() || { name: '' }) === 'drafts') list.refresh(); },
  discardDraft: (uid) => {
    const drafts = findSpecial(state.folders, 'drafts');
    if (drafts) api('POST', '/api/delete', { folder: drafts.name, uids: [uid] }).then(() => { toast('Draft discarded'); if (drafts.name === state.folder) list.refresh(); }).catch(() => {});
  },
});
for (const id of ['compose-button', 'compose-fab']) $(id).addEventListener('click', () => { composer.open('new'); if (isNarrow()) setPane('list'); });

// ---------- live updates ----------
function openEvents() {
  closeEvents();
  if (typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/events');
  state.events = es;
  es.addEventListener('folder', (e) => {
    let data = {};
    try { data = JSON.parse(e.data); } catch { return; }
    loadFolders();
    if (data.folder === state.folder) list.refresh();
  });
  // The server ends the stream at once when the session is signed out (elsewhere) or expires.
  es.addEventListener('logout', (e) => {
    let data = {};
    try { data = JSON.parse(e.data); } catch { /* reason unknown */ }
    if (state.events !== es) return;
    closeEvents();
    if (state.session) showLogin(data.reason === 'expired' ? 'Your session has expired. Please sign in again.' : 'You have been signed out (in another window).');
  });
  es.addEventListener('error', () => {
    // Closed for good (e.g. 401): find out whether the session is still alive.
    if (es.readyState === EventSource.CLOSED && state.events === es) {
      state.events = null;
      api('GET', '/api/session').then(() => setTimeout(() => { if (state.session && !state.events) openEvents(); }, 3000)).catch(() => {});
    }
  });
}
function closeEvents() {
  if (state.events) { state.events.close(); state.events = null; }
}

// ---------- keyboard ----------
function typingIn(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener('keydown', (e) => {
  if (!state.session || e.ctrlKey || e.metaKey || e.altKey) return;
  if (anyOverlayOpen() || composer.isOpen() || typingIn(e.target)) return;
  const current = () => (reader.message ? [list.loadedSummaries().find((m) => m.uid === reader.message.summary.uid) || reader.message.summary] : list.targets());
  const handled = () => e.preventDefault();
  switch (e.key) {
    case 'j': handled(); list.moveCursor(1, true); break;
    case 'k': handled(); list.moveCursor(-1, true); break;
    case 'Enter': case 'o': if (e.target.closest?.('.folder,button,a')) return; handled(); if (list.cursor >= 0) list.open(list.cursor); break;
    case 'x': handled(); if (list.cursor >= 0) { const m = list.summaryAt(list.cursor); if (m) list.toggle(list.cursor, m); } break;
    case 'r': case 'a': handled(); if (reader.message) composer.open(e.key === 'a' ? 'replyAll' : 'reply', reader.message, state.folder); break;
    case 'f': handled(); if (reader.message) composer.open('forward', reader.message, state.folder); break;
    case 'c': handled(); composer.open('new'); break;
    case 'e': handled(); runAction('archive'); break;
    case '#': case 'Delete': handled(); { const t = list.selected.size ? list.targets() : current(); deleteMessages(state.folder, t.map((m) => m.uid)); } break;
    case 's': handled(); toggleFlag(list.selected.size ? list.targets() : current(), '\\Flagged'); break;
    case 'u': handled(); {
      const t = list.selected.size ? list.targets() : current();
      if (t.length) setFlag(t, '\\Seen', !t.every((m) => (m.flags || []).includes('\\Seen')));
    } break;
    case 'z': handled(); undoLast(); break;
    case '/': handled(); $('search-input').focus(); $('search-input').select(); break;
    case '?': handled(); showHelp(); break;
    case 'Escape':
      if (document.body.dataset.pane === 'message' && isNarrow()) { handled(); setPane('list'); }
      else if (list.selected.size) { handled(); list.selectAllLoaded(false); }
      else hideToast();
      break;
    default: break;
  }
});

// ---------- chrome ----------
$('menu-button').append(svg(icons.menu));
$('help-button').append(svg(icons.keyboard));
$('logout-button').append(svg(icons.logout));
$('identities-button').append(svg(icons.user));
$('identities-button').addEventListener('click', () => {
  if (!state.session) return;
  showIdentities(state.session.identities || [], (list) => { state.session.identities = list; toast('Identities saved'); });
});
document.querySelector('.search-icon').append(svg(icons.search));
for (const n of document.querySelectorAll('.cb-icon')) n.append(svg(icons.pencil));
$('compose-close').append(svg(icons.close));
for (const [action, icon] of [['delete', icons.trash], ['archive', icons.archive], ['read', icons.mailOpen], ['unread', icons.mail], ['star', icons.star]]) {
  document.querySelector(`#bulk-actions [data-action="${action}"]`).append(svg(icon));
}
$('help-button').addEventListener('click', showHelp);
$('menu-button').addEventListener('click', () => setPane(document.body.dataset.pane === 'folders' ? 'list' : 'folders'));
$('sidebar-scrim').addEventListener('click', () => setPane('list'));

// ---------- start ----------
(async () => {
  try {
    const session = await api('GET', '/api/session', undefined, { quietUnauthorized: true });
    await startApp(session);
  } catch (err) {
    showLogin(err.status === 401 ? '' : err.message);
  }
})();
