// One webmail, one browser session, five timings and the first-load transfer size, in headless Chromium.
//   node measure.mjs '{"kind":"claret"|"roundcube","url":…,"user":…,"pass":…,"to":…,"search":…,"big":…}'
// Prints one JSON line: {"login_ms","list_ms","open_ms","search_ms","send_ms","first_load_bytes","first_load_requests"}.
//
// login_ms   submit on the login form → first message row of INBOX visible (10,000 messages)
// list_ms    click on another folder → its first row visible, then back to INBOX → first row visible (the INBOX switch)
// open_ms    click on a message row → its body text visible
// search_ms  submit a subject search → the one matching row visible
// send_ms    click Send on a filled compose form → the app reports the message sent
// first_load the bytes on the wire (encoded, headers included) and requests from opening the login page to the
//            first INBOX row, with an empty cache
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'tests', 'webmail', 'package.json'));
const { chromium } = require('playwright-core');

const cfg = JSON.parse(process.argv[2]);
const T = 60_000;

// What differs between the two interfaces: selectors and the "done" signals.
const ui = {
  claret: {
    user: '#login-user', pass: '#login-pass', submit: '#login-submit',
    row: '#message-list .row:not(.placeholder)',
    rowWith: (t) => `#message-list .row:not(.placeholder):has-text("${t}")`,
    folder: (name) => `.folder[data-name="${name}"]`,
    body: '#reader',
    search: '#search-input', searchSubmit: async (page) => page.locator('#search-input').press('Enter'),
    compose: async (page) => { await page.keyboard.press('c'); await page.locator('#compose-to').waitFor(); },
    to: '#compose-to', subject: '#compose-subject', text: '#compose-body', send: '#compose-send',
    sent: '#toast-text:has-text("Message sent")',
  },
  roundcube: {
    user: '#rcmloginuser', pass: '#rcmloginpwd', submit: '#rcmloginsubmit',
    row: '#messagelist tbody tr',
    rowWith: (t) => `#messagelist tbody tr:has-text("${t}")`,
    folder: (name) => `#mailboxlist a[rel="${name}"]`,
    body: '#messagecontframe',
    search: '#mailsearchform', searchSubmit: async (page) => page.locator('#mailsearchform').press('Enter'),
    compose: async (page) => {
      await page.goto(`${cfg.url}/?_task=mail&_action=compose`);
      await page.locator('#_to, input[name="_to_input"], ul.recipient-input input').first().waitFor({ timeout: T });
    },
    to: 'ul.recipient-input input', subject: '#compose-subject', text: '#composebody', send: 'button.send:visible, a.send:visible',
    sent: 'text=Message sent successfully',
  },
}[cfg.kind];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, ignoreHTTPSErrors: true });
context.setDefaultTimeout(T);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
let bytes = 0, requests = 0, counting = true;
cdp.on('Network.loadingFinished', (e) => { if (counting) { bytes += e.encodedDataLength; requests += 1; } });
const now = () => performance.now();
const out = {};

try {
  await page.goto(cfg.url + '/');
  await page.locator(ui.user).waitFor();
  await page.locator(ui.user).fill(cfg.user);
  await page.locator(ui.pass).fill(cfg.pass);
  let t = now();
  await page.locator(ui.submit).click();
  await page.locator(ui.row).first().waitFor({ timeout: T });
  out.login_ms = now() - t;
  await page.waitForTimeout(1500);  // late requests of the first load (icons, fonts, keep-alives) count too
  counting = false;
  out.first_load_bytes = bytes;
  out.first_load_requests = requests;
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });

  // Folder switch: to a small folder and back to the 10,000-message INBOX; the INBOX leg is the figure.
  await page.locator(ui.folder(cfg.other)).first().click();
  await page.locator(ui.rowWith(cfg.otherSubject)).first().waitFor();
  await page.waitForTimeout(300);
  t = now();
  await page.locator(ui.folder('INBOX')).first().click();
  await page.locator(ui.rowWith(cfg.firstSubject)).first().waitFor();
  out.list_ms = now() - t;

  await page.waitForTimeout(300);
  t = now();
  await page.locator(ui.rowWith(cfg.openSubject)).first().click();
  if (cfg.kind === 'roundcube') {
    await page.frameLocator(ui.body).locator(`text=${cfg.openBody}`).first().waitFor();
  } else {
    await page.locator(`${ui.body} >> text=${cfg.openBody}`).first().waitFor();
  }
  out.open_ms = now() - t;

  await page.waitForTimeout(300);
  // Both search the subject: Roundcube's default scope is subject + from; claret's box takes "subject:".
  await page.locator(ui.search).fill(cfg.kind === 'claret' ? cfg.claretSearch : cfg.search);
  t = now();
  await ui.searchSubmit(page);
  await page.locator(ui.rowWith(cfg.searchSubject)).first().waitFor();
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length <= n, [ui.row, 3]);
  out.search_ms = now() - t;

  await ui.compose(page);
  await page.locator(ui.to).first().fill(cfg.to);
  await page.locator(ui.subject).fill(`bench ${Date.now()}`);
  await page.locator(ui.text).fill('A short message from the webmail benchmark.');
  t = now();
  await page.locator(ui.send).first().click();
  await page.locator(ui.sent).first().waitFor();
  out.send_ms = now() - t;
  console.log(JSON.stringify(out));
} catch (err) {
  await page.screenshot({ path: `/tmp/webmail-bench-${cfg.kind}-failed.png` }).catch(() => {});
  console.error(`measure ${cfg.kind}: ${err.message.split('\n')[0]} (partial: ${JSON.stringify(out)}; screenshot /tmp/webmail-bench-${cfg.kind}-failed.png)`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
