// Shared plumbing for the browser tests: one Chromium, a fresh context per test, console/CSP error
// capture, and the target (the in-memory mock, or a real server from WEBMAIL_URL).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { startMockServer } from './mock_server.mjs';

export const REAL = !!process.env.WEBMAIL_URL;
export const SHOTS = process.env.WEBMAIL_SCREENSHOTS || '/tmp/claret-webmail-screenshots';
export const T = { action: 10_000, test: 60_000 };

let browser = null;
export let mock = null;
export let base = '';
export const accounts = {
  user1: { user: process.env.WEBMAIL_USER || 'alice', pass: process.env.WEBMAIL_PASS || 'alice-pass' },
  user2: { user: process.env.WEBMAIL_USER2 || 'bob', pass: process.env.WEBMAIL_PASS2 || 'bob-pass', address: process.env.WEBMAIL_ADDRESS2 || 'bob@example.test' },
};

export async function setup() {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (REAL) base = process.env.WEBMAIL_URL.replace(/\/$/, '');
  else { mock = await startMockServer(); base = mock.url; mock.warm(); }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    timeout: 30_000,
  });
  // Warm up (Chromium's first page, the UI files, a TLS handshake) inside setup's larger time budget, so the
  // first test's 10 s action waits do not pay for it on a loaded machine.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(base + '/', { timeout: 30_000 });
    await page.locator('#login-user').waitFor({ timeout: 30_000 });
  } finally {
    await context.close();
  }
}

export async function teardown() {
  if (browser) await browser.close().catch(() => {});
  if (mock) await mock.close().catch(() => {});
  browser = null; mock = null;
}

// Opens a page in a fresh context; collects console errors and page errors of our own page (the message
// iframe's CSP reports are expected: they are the hostile mail being blocked). allowStatus: HTTP statuses
// a test provokes on purpose (the browser logs every failed request as a console error).
export async function openPage({ viewport = { width: 1400, height: 860 }, colorScheme = 'light', allowStatus = [], undoMs = 400, autosaveMs = 600 } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, ignoreHTTPSErrors: true, acceptDownloads: true, hasTouch: viewport.width < 700 });
  await context.addInitScript(([u, a]) => {
    try { localStorage.setItem('claret.undoMs', String(u)); localStorage.setItem('claret.autosaveMs', String(a)); } catch { /* storage off */ }
  }, [undoMs, autosaveMs]);
  context.setDefaultTimeout(T.action);
  const page = await context.newPage();
  const errors = [];
  const allowed = new Set([401, ...allowStatus]);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = (m.location() && m.location().url) || '';
    if (/\/api\/message_html|about:srcdoc|\/remote\//.test(where)) return;
    // Remote content of a mail the user allowed to load (hosts other than ours) is not our error.
    if (/^Failed to load resource/.test(m.text()) && where && !where.startsWith(base)) return;
    const status = /status of (\d{3})/.exec(m.text());
    if (status && allowed.has(Number(status[1]))) return;
    errors.push(`${m.text()} @ ${where}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.errors = errors;
  page.closeAll = () => context.close();
  return page;
}

export async function login(page, who = accounts.user1) {
  await page.goto(base + '/');
  await page.locator('#login-user').fill(who.user);
  await page.locator('#login-pass').fill(who.pass);
  await page.locator('#login-submit').click();
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.locator('#list-status').filter({ hasText: /message|result/ }).waitFor();
}

export const rows = (page) => page.locator('.row:not(.placeholder)');
export const rowWith = (page, text) => page.locator('.row:not(.placeholder)', { hasText: text });
export const folderItem = (page, name) => page.locator(`.folder[data-name="${name}"]`);

export async function selectFolder(page, name) {
  await folderItem(page, name).click();
  await page.locator('#list-status').filter({ hasText: /message|result/ }).waitFor();
}

// Bounded polling for server-side state (mock) or any condition.
export async function until(fn, what, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const folderMessages = (user, folder) => mock.mailbox(user).folders.get(folder)?.messages || [];
export const unique = (prefix) => `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
