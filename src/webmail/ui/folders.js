// The folder tree (ARIA tree): hierarchy from each folder's parent, special-use icons, unread counts,
// keyboard navigation, and drop targets for dragged messages.
import { el, svg } from './util.js';
import { folderIcon } from './icons.js';

const ORDER = ['inbox', 'drafts', 'sent', 'archive', 'all', 'flagged', 'junk', 'trash'];

export function specialKind(f) {
  if (f.name.toUpperCase() === 'INBOX') return 'inbox';
  const su = (f.special_use || '').toLowerCase().replace('\\', '');
  return ORDER.includes(su) ? su : '';
}

export function displayName(f) {
  if (f.name.toUpperCase() === 'INBOX') return 'Inbox';
  const d = f.delimiter || '/';
  return d ? f.name.split(d).pop() : f.name;
}

export function findSpecial(folders, kind) { return folders.find((f) => specialKind(f) === kind); }

function rank(f) {
  const k = specialKind(f);
  return k ? ORDER.indexOf(k) : ORDER.length;
}

// Children listed under their parent; top level: special folders first, then by name.
function ordered(folders) {
  const byParent = new Map();
  for (const f of folders) {
    const p = f.parent || '';
    if (!byParent.has(p)) byParent.set(p, []);
    byParent.get(p).push(f);
  }
  const names = new Set(folders.map((f) => f.name));
  const out = [];
  const walk = (parent, level) => {
    const kids = (byParent.get(parent) || []).sort((a, b) => rank(a) - rank(b) || displayName(a).localeCompare(displayName(b)));
    for (const f of kids) { out.push({ f, level }); walk(f.name, level + 1); }
  };
  walk('', 1);
  // Folders whose parent is not listed still get shown, at top level.
  for (const [p, kids] of byParent) if (p && !names.has(p)) for (const f of kids) if (!out.some((o) => o.f === f)) out.push({ f, level: 1 });
  return out;
}

export class FolderTree {
  constructor(root, handlers) {
    this.root = root;
    this.handlers = handlers; // onSelect(name), onDropMessages(toFolder, {folder, uids})
    this.folders = [];
    this.current = 'INBOX';
    root.addEventListener('keydown', (e) => this.onKey(e));
  }

  set(folders, current) {
    this.folders = folders;
    this.current = current;
    this.render();
  }

  render() {
    const focusedName = document.activeElement?.closest?.('.folder')?.dataset.name;
    const items = ordered(this.folders).map(({ f, level }) => {
      const isCurrent = f.name === this.current;
      const unseen = f.unseen || 0;
      const li = el('li.folder' + (isCurrent ? '.current' : '') + (f.selectable === false ? '.noselect' : ''), {
        role: 'treeitem', 'aria-level': level, 'aria-selected': String(isCurrent), tabindex: isCurrent ? '0' : '-1',
        dataset: { name: f.name }, title: f.name,
        'aria-label': `${displayName(f)}${unseen ? `, ${unseen} unread` : ''}`,
      },
      el('span.folder-icon', {}, svg(folderIcon(f.special_use, f.name))),
      el('span.folder-name', {}, displayName(f)),
      unseen ? el('span.badge', { 'aria-hidden': 'true' }, unseen > 9999 ? '9999+' : String(unseen)) : null);
      li.style.paddingInlineStart = `${0.75 + (level - 1) * 1}rem`;
      li.addEventListener('click', () => { if (f.selectable !== false) this.handlers.onSelect(f.name); });
      li.addEventListener('dragover', (e) => {
        if (f.selectable === false || f.name === this.current) return;
        if (![...e.dataTransfer.types].includes('application/x-claret-messages')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        li.classList.add('drop-target');
      });
      li.addEventListener('dragleave', () => li.classList.remove('drop-target'));
      li.addEventListener('drop', (e) => {
        li.classList.remove('drop-target');
        const data = e.dataTransfer.getData('application/x-claret-messages');
        if (!data) return;
        e.preventDefault();
        this.handlers.onDropMessages(f.name, JSON.parse(data));
      });
      return li;
    });
    this.root.replaceChildren(...items);
    if (focusedName) this.root.querySelector(`.folder[data-name="${CSS.escape(focusedName)}"]`)?.focus();
  }

  onKey(e) {
    const items = [...this.root.querySelectorAll('.folder')];
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); items[i].click(); return; }
    if (next < 0) return;
    e.preventDefault();
    items[i].tabIndex = -1;
    items[next].tabIndex = 0;
    items[next].focus();
  }
}
