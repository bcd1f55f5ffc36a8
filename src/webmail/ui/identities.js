// The "Sender identities" dialog: name, address, Reply-To and signature per identity, saved on the server
// (POST /api/identities) so every browser of the user sees them. Addresses the mail server knows for the
// account (login name, aliases) are marked and cannot be removed; others are the user's own, and the
// submission server decides whether it accepts them.
import { api } from './api.js';
import { el, isValidAddress } from './util.js';

const $ = (id) => document.getElementById(id);

let lastFocus = null;
let rows = [];

function row(identity) {
  const n = rows.length + 1;
  const field = (label, input) => el('label.identity-field', {}, el('span', {}, label), input);
  const name = el('input', { value: identity.name || '', autocomplete: 'off', 'aria-label': `Name ${n}`, dataset: { field: 'name' } });
  const email = el('input', { value: identity.email || '', autocomplete: 'off', spellcheck: 'false', 'aria-label': `Address ${n}`, dataset: { field: 'email' } });
  if (identity.server_known) email.readOnly = true;
  const replyTo = el('input', { value: identity.reply_to || '', autocomplete: 'off', spellcheck: 'false', 'aria-label': `Reply-To ${n}`, placeholder: 'optional', dataset: { field: 'reply_to' } });
  const signature = el('textarea', { rows: '3', 'aria-label': `Signature ${n}`, dataset: { field: 'signature' } });
  signature.value = identity.signature || '';
  const node = el('li.identity', { dataset: { id: identity.id || '' } },
    field('Name', name), field('Address', email), field('Reply-To', replyTo), field('Signature', signature));
  const entry = { identity, node, name, email, replyTo, signature };
  if (identity.server_known) {
    node.append(el('p.identity-note', {}, 'Address of your account on the mail server'));
  } else {
    const remove = el('button.link-button.danger', { type: 'button' }, 'Remove');
    remove.addEventListener('click', () => { rows = rows.filter((r) => r !== entry); node.remove(); });
    node.append(remove);
  }
  rows.push(entry);
  return node;
}

function collect() {
  const out = [];
  for (const r of rows) {
    const email = r.email.value.trim();
    if (!isValidAddress(email)) return { error: `“${email || '(empty)'}” is not an email address.` };
    const replyTo = r.replyTo.value.trim();
    if (replyTo && !isValidAddress(replyTo)) return { error: `Reply-To “${replyTo}” is not an email address.` };
    out.push({ id: r.identity.id, name: r.name.value.trim(), email, reply_to: replyTo, signature: r.signature.value.replace(/\s+$/, '') });
  }
  if (!out.length) return { error: 'Keep at least one identity.' };
  return { list: out };
}

function close() {
  $('identities').hidden = true;
  if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
}

// onSaved(list) receives the server's answer (ids assigned, server-known addresses kept).
export function showIdentities(current, onSaved) {
  lastFocus = document.activeElement;
  rows = [];
  $('identities-list').replaceChildren(...current.map((i) => row(typeof i === 'string' ? { email: i } : i)));
  $('identities-error').hidden = true;
  $('identities').hidden = false;
  (rows[0]?.name || $('identities-add')).focus();
  identitiesSaved = onSaved;
}
let identitiesSaved = () => {};

export function identitiesOpen() { return !$('identities').hidden; }

$('identities-add').addEventListener('click', () => {
  const node = row({});
  $('identities-list').append(node);
  rows[rows.length - 1].name.focus();
});
$('identities-cancel').addEventListener('click', close);
$('identities').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
$('identities-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const err = $('identities-error');
  const { list, error } = collect();
  if (error) { err.textContent = error; err.hidden = false; return; }
  const save = $('identities-save');
  save.disabled = true;
  save.textContent = 'Saving…';
  try {
    const answer = await api('POST', '/api/identities', { identities: list });
    close();
    identitiesSaved(answer.identities || []);
  } catch (ex) {
    if (ex.status !== 401) { err.textContent = `Could not save: ${ex.message}`; err.hidden = false; }
  } finally {
    save.disabled = false;
    save.textContent = 'Save';
  }
});
