// Fixture mailboxes for the mock webmail API: two users, a realistic small INBOX (plain, HTML with remote
// images and hostile markup, attachments with an inline cid: image, a conversation) and a folder with
// 100,000 generated messages to prove the list never loads everything.

// A 16x16 PNG (orange square), used as inline image and attachment.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAHElEQVR4nGP4/5+BJMQwqmFUw6iGUQ2jGgZSAwDpXMdB/rbwJQAAAABJRU5ErkJggg==', 'base64');

export const users = {
  alice: { password: 'alice-pass', address: 'alice@example.test', name: 'Alice Liddell',
    identities: [{ name: 'Alice Liddell', email: 'alice@example.test', signature: 'Alice' }, { name: 'Alice (support)', email: 'support@example.test' }] },
  bob: { password: 'bob-pass', address: 'bob@example.test', name: 'Bob Builder',
    identities: [{ name: 'Bob Builder', email: 'bob@example.test' }] },
};

const HOUR = 3600;

export function hostileHtml(remoteBase) {
  return `<!doctype html><html><head><style>body{font-family:Georgia,serif;color:#222} .hero{background:#f3e6ff;padding:16px}</style></head><body>
<div class="hero"><h1 id="newsletter-title">Spring collection</h1>
<p>Fresh picks for you. <a href="https://shop.example.com/spring">Browse the shop</a></p>
<img id="remote-img" src="${remoteBase}/remote/track.png" alt="tracking pixel" width="40" height="40"></div>
<script>document.body.setAttribute('data-pwned','1'); try { parent.document.title = 'PWNED'; } catch (e) {} fetch('/api/folders');</script>
<img src="x" onerror="document.body.setAttribute('data-pwned','2')" alt="">
<a id="js-link" href="javascript:document.body.setAttribute('data-pwned','3')">click me</a>
<svg><script>document.body.setAttribute('data-pwned','4')</script></svg>
<iframe srcdoc="<script>parent.parent.document.title='PWNED2'</script>"></iframe>
</body></html>`;
}

export function inboxFixtures(user, remoteBase) {
  const now = Math.floor(Date.now() / 1000);
  const A = (name, email) => ({ name, email });
  const me = A(users[user].name, users[user].address);
  const carol = A('Carol Singer', 'carol@example.org');
  const dave = A('Dave Jones', 'dave@example.net');
  const shop = A('Example Shop', 'news@shop.example.com');
  const list = [
    { subject: 'Welcome to your new mailbox', from: [A('Postmaster', 'postmaster@example.test')], to: [me], date: now - 30 * 24 * HOUR,
      text: 'Hello!\n\nYour mailbox is ready. Read the guide at https://example.test/guide or write to help@example.test.\n\n-- \nThe team', flags: ['\\Seen'] },
    { subject: 'Spring collection is here', from: [shop], to: [me], date: now - 5 * 24 * HOUR, html: hostileHtml(remoteBase),
      text: 'Spring collection. Browse the shop: https://shop.example.com/spring', flags: [] },
    { subject: 'Holiday photos', from: [carol], to: [me], cc: [dave], date: now - 3 * 24 * HOUR,
      text: 'Here are the photos from the trip. The sunset one is inline.\n\nCarol',
      html: '<p>Here are the photos from the trip. The sunset one is inline:</p><p><img id="cid-img" src="cid:sunset@example.org" alt="sunset" width="64" height="64"></p><p>Carol</p>',
      parts: [
        { section: '2', content_type: 'image/png', filename: 'sunset.png', disposition: 'inline', content_id: 'sunset@example.org', data: PNG },
        { section: '3', content_type: 'application/pdf', filename: 'itinerary.pdf', disposition: 'attachment', content_id: '', data: Buffer.from('%PDF-1.4\n% mock itinerary\n%%EOF\n') },
      ], flags: ['\\Seen', '\\Flagged'] },
    { subject: 'Project plan', from: [dave], to: [me, carol], date: now - 2 * 24 * HOUR, id: 'plan-1@example.net',
      text: 'Draft of the plan attached in words:\n1. design\n2. build\n3. ship', flags: ['\\Seen'] },
    { subject: 'Re: Project plan', from: [carol], to: [dave], cc: [me], date: now - 2 * 24 * HOUR + 2 * HOUR, id: 'plan-2@example.org',
      in_reply_to: 'plan-1@example.net', refs: '<plan-1@example.net>', text: 'Looks good. Can we ship on Friday?\n\n> 3. ship', flags: ['\\Seen'] },
    { subject: 'Re: Project plan', from: [dave], to: [carol], cc: [me], date: now - 20 * HOUR, id: 'plan-3@example.net',
      in_reply_to: 'plan-2@example.org', refs: '<plan-1@example.net> <plan-2@example.org>', text: 'Friday works. Alice, can you confirm?', flags: [] },
    { subject: 'Lunch tomorrow?', from: [dave], to: [me], date: now - 3 * HOUR, text: 'Noon at the usual place?', flags: [] },
    { subject: 'Invoice 2026-114', from: [A('Billing', 'billing@vendor.example')], to: [me], date: now - 40 * 24 * HOUR,
      text: 'Your invoice is attached.', parts: [{ section: '2', content_type: 'application/pdf', filename: 'invoice-2026-114.pdf', disposition: 'attachment', content_id: '', data: Buffer.from('%PDF-1.4\n%%EOF\n') }], flags: ['\\Seen'] },
  ];
  return list;
}

// Summaries of the generated big folder are cheap objects computed once.
export function generatedMessage(i, base) {
  const senders = ['Ann Lee', 'Ben Ng', 'Cat Roe', 'Dan Poe', 'Eve Ray', 'Fay Oh', 'Gus Ma', 'Hal Wu'];
  const s = senders[i % senders.length];
  return {
    subject: `Announcement #${i + 1}: ${['release notes', 'weekly digest', 'meeting moved', 'new members', 'server maintenance'][i % 5]}`,
    from: [{ name: s, email: `${s.split(' ')[0].toLowerCase()}@lists.example.org` }],
    to: [{ name: '', email: 'announce@lists.example.org' }],
    date: base - (100000 - i) * 600,
    text: `Message number ${i + 1} of the announcements list.`,
    flags: i % 7 === 0 ? [] : ['\\Seen'],
    size: 1200 + (i * 37) % 9000,
  };
}
