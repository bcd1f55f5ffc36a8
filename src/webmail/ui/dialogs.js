// Small accessible dialogs (text question, confirmation), the toast with undo, and the help overlay —
// our own instead of window.prompt so they are styled, labelled and testable.
const $ = (id) => document.getElementById(id);

let lastFocus = null;
function openOverlay(node, focusTarget) {
  lastFocus = document.activeElement;
  node.hidden = false;
  focusTarget.focus();
}
function closeOverlay(node) {
  node.hidden = true;
  if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
}

// Resolves to the entered text, or null when cancelled. validate(text) returns an error message or ''.
export function ask({ title, text = '', label = '', value = '', ok = 'OK', input = true, validate = () => '' }) {
  const modal = $('modal'), form = $('modal-form'), field = $('modal-input'), err = $('modal-error');
  $('modal-title').textContent = title;
  $('modal-text').textContent = text;
  $('modal-text').hidden = !text;
  $('modal-label').textContent = label;
  $('modal-label').hidden = !input;
  field.hidden = !input;
  field.value = value;
  $('modal-ok').textContent = ok;
  err.hidden = true;
  return new Promise((resolve) => {
    const done = (result) => {
      form.removeEventListener('submit', onSubmit);
      $('modal-cancel').removeEventListener('click', onCancel);
      modal.removeEventListener('keydown', onKey);
      closeOverlay(modal);
      resolve(result);
    };
    const onSubmit = (e) => {
      e.preventDefault();
      const v = field.value.trim();
      const problem = input ? validate(v) : '';
      if (problem) { err.textContent = problem; err.hidden = false; field.focus(); return; }
      done(input ? v : true);
    };
    const onCancel = () => done(null);
    const onKey = (e) => { if (e.key === 'Escape') { e.preventDefault(); done(null); } };
    form.addEventListener('submit', onSubmit);
    $('modal-cancel').addEventListener('click', onCancel);
    modal.addEventListener('keydown', onKey);
    openOverlay(modal, input ? field : $('modal-ok'));
    if (input) field.select();
  });
}

export const confirmDialog = (title, text, ok) => ask({ title, text, ok, input: false });

let toastTimer = null;
let toastUndo = null;
export function toast(text, { undo = null, ms = 4000 } = {}) {
  const t = $('toast');
  $('toast-text').textContent = text;
  toastUndo = undo;
  $('toast-undo').hidden = !undo;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; toastUndo = null; }, ms);
}
export function undoLast() {
  if (!toastUndo) return false;
  const fn = toastUndo;
  toastUndo = null;
  $('toast').hidden = true;
  fn();
  return true;
}
export function hideToast() { $('toast').hidden = true; toastUndo = null; }
$('toast-undo').addEventListener('click', () => undoLast());

export function showHelp() { openOverlay($('help'), $('help-close')); }
export function hideHelp() { closeOverlay($('help')); }
export function helpOpen() { return !$('help').hidden; }
$('help-close').addEventListener('click', hideHelp);
$('help').addEventListener('keydown', (e) => { if (e.key === 'Escape' || e.key === '?') { e.preventDefault(); hideHelp(); } });
$('help').addEventListener('click', (e) => { if (e.target.id === 'help') hideHelp(); });

export function showSource(text, downloadUrl) {
  $('source-text').textContent = text;
  $('source-download').href = downloadUrl;
  openOverlay($('source'), $('source-close'));
}
$('source-close').addEventListener('click', () => closeOverlay($('source')));
$('source').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeOverlay($('source')); } });

export function anyOverlayOpen() {
  return !$('help').hidden || !$('modal').hidden || !$('source').hidden || !$('identities').hidden;
}
