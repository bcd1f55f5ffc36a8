// Screenshots of the main screens for docs/ (docs/webmail.md): login, message list, reading a message,
// compose, phone layout, dark mode — taken from the mock API (deterministic fixtures), in headless Chromium.
//   node tests/webmail/screenshots.mjs [OUT_DIR]      (default docs/screenshots; then shrunk to 256-colour PNGs)
import path from 'node:path';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startMockServer } from './mock_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, '..', '..', 'docs', 'screenshots'));
fs.mkdirSync(out, { recursive: true });

const mock = await startMockServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
const shots = [];

async function page({ width = 1280, height = 760, dark = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light', hasTouch: width < 700 });
  context.setDefaultTimeout(15_000);
  const p = await context.newPage();
  p.closeAll = () => context.close();
  return p;
}
async function login(p) {
  await p.goto(mock.url + '/');
  await p.locator('#login-user').fill('alice');
  await p.locator('#login-pass').fill('alice-pass');
  // The mock builds its 100,000-message folder at the first login, in this process: allow for it.
  await p.locator('#login-submit').click({ timeout: 120_000 });
  await p.locator('.row:not(.placeholder)').first().waitFor({ timeout: 120_000 });
}
async function shot(p, name) {
  const file = path.join(out, `${name}.png`);
  await p.waitForTimeout(300);  // let transitions settle (a picture, not a test)
  await p.screenshot({ path: file });
  shots.push(file);
}
const open = async (p, subject) => {
  await p.locator('.row:not(.placeholder)', { hasText: subject }).first().click();
  await p.locator('.msg-subject', { hasText: subject }).waitFor();
};

try {
  let p = await page();
  await p.goto(mock.url + '/');
  await p.locator('#login-user').waitFor();
  await shot(p, 'login');
  await login(p);
  await shot(p, 'message-list');
  await open(p, 'Lunch tomorrow?');
  await shot(p, 'reading');
  await p.keyboard.press('r');
  await p.locator('#compose-title', { hasText: 'Reply' }).waitFor();
  await shot(p, 'compose');
  await p.closeAll();

  p = await page({ width: 390, height: 760 });
  await login(p);
  await shot(p, 'phone');
  await p.closeAll();

  p = await page({ dark: true });
  await login(p);
  await open(p, 'Holiday photos');
  await shot(p, 'dark');
  await p.closeAll();
} finally {
  await browser.close();
  await mock.close();
}
for (const file of shots) {
  try { execFileSync('convert', [file, '-colors', '256', `PNG8:${file}`]); } catch { /* ImageMagick missing: keep the full PNG */ }
  console.log(`${path.relative(process.cwd(), file)}  ${Math.round(fs.statSync(file).size / 1024)} KB`);
}
