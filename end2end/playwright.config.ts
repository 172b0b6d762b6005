import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (downloads are impossible on CI machines).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchOptions = {
  executablePath: chromium,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    locale: 'zh-CN',
    trace: 'off',
  },
  // Each project is a client of its own, as two people at two addresses would be: the server
  // (started by scripts/test behind one trusted proxy) keys its throttles by this header. One
  // address for the whole run registers past REGISTRATION's 20 free sign-ups, after which
  // each must wait longer than the one before (429).
  projects: [
    {
      name: 'phone',
      use: {
        ...devices['iPhone SE'], browserName: 'chromium', defaultBrowserType: 'chromium', launchOptions,
        extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.1' },
      },
    },
    {
      name: 'desktop',
      use: {
        ...devices['Desktop Chrome'], channel: undefined, launchOptions,
        extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.2' },
      },
    },
  ],
});
