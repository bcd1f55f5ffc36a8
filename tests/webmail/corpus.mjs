// Loads the hostile HTML mails of ../shared/corpus into the mock (a folder "Corpus"), *unsanitised*, so the
// browser test proves the front end's sandboxed frame alone executes nothing (defence in depth: the real
// server also sanitises). A minimal MIME walk: enough for these files, not a general parser.
import fs from 'node:fs';
import path from 'node:path';

// The corpus files with script, event handlers, javascript: URLs, frames, objects, embeds or SVG in their HTML.
export const HOSTILE = [
  'zimbra/email/bug_58889.txt',
  'zimbra/email/bug_62346.txt',
];

// Appended to each message: if anything in the frame can run code, this marks the document.
export const CANARY = '<script>document.documentElement.setAttribute("data-ran","script")</script>'
  + '<img src="data:," onerror="document.documentElement.setAttribute(\'data-ran\',\'onerror\')" alt="">'
  + '<svg onload="document.documentElement.setAttribute(\'data-ran\',\'svg\')"></svg>';

function splitHead(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decode(body, encoding) {
  const enc = (encoding || '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (enc === 'quoted-printable') {
    const s = body.replace(/=\r?\n/g, '');
    const bytes = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) { bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
      else bytes.push(...Buffer.from(s[i], 'latin1'));
    }
    return Buffer.from(bytes);
  }
  return Buffer.from(body, 'latin1');
}

function walk(raw, out) {
  const { headers, body } = splitHead(raw);
  const type = (headers['content-type'] || 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] || '');
  if (type.startsWith('multipart/') && boundary) {
    const parts = body.split(new RegExp(`\\r?\\n?--${boundary[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    for (const p of parts.slice(1)) if (p.trim()) walk(p, out);
    return out;
  }
  out.push({ type: type.split(';')[0].trim(), headers, data: decode(body, headers['content-transfer-encoding']) });
  return out;
}

export function loadHostileCorpus(corpusDir) {
  const messages = [];
  for (const rel of HOSTILE) {
    const file = path.join(corpusDir, rel);
    if (!fs.existsSync(file)) continue;
    const raw = fs.readFileSync(file, 'latin1').replace(/^From .*\r?\n/, '');
    const parts = walk(raw, []);
    const html = parts.filter((p) => p.type === 'text/html').map((p) => p.data.toString('utf8')).join('\n');
    const text = parts.filter((p) => p.type === 'text/plain').map((p) => p.data.toString('utf8')).join('\n');
    const related = parts.filter((p) => p.headers['content-id']).map((p, i) => ({
      section: String(i + 2), content_type: p.type, filename: `part-${i + 2}`, disposition: 'inline',
      content_id: p.headers['content-id'].replace(/[<>]/g, ''), data: p.data,
    }));
    messages.push({ subject: `Corpus: ${rel}`, from: [{ name: 'Corpus', email: 'corpus@example.test' }], to: [],
      text: text || '(no text part)', html: (html || '<p>(no HTML part)</p>') + CANARY, parts: related, flags: ['\\Seen'] });
  }
  return messages;
}
