import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

// `cargo leptos end-to-end` starts the server and the tests at the same moment: wait until
// the server answers before any test runs. Then make the window staff the workbench tests
// log in as, with the server binary's own `create-staff` command (the way a hall creates its
// first accounts), on the same database (ONEWINDOW_DATA_DIR / DATABASE_URL are inherited).
export const STAFF = [
  { login: 'e2e-swj-window', name: '窗口小王', role: 'window', department: 'SWJ' },
  { login: 'e2e-swj-chief', name: '首席老陈', role: 'chief', department: 'SWJ' },
  { login: 'e2e-admin', name: '管理员小李', role: 'admin', department: 'ZJJ' },
  { login: 'e2e-swj-reviewer', name: '审批小赵', role: 'reviewer', department: 'SWJ' },
  { login: 'e2e-cgj-reviewer', name: '审批小钱', role: 'reviewer', department: 'CGJ' },
  { login: 'e2e-cgj-chief', name: '首席老孙', role: 'chief', department: 'CGJ' },
  { login: 'e2e-fgw-window', name: '窗口小周', role: 'window', department: 'FGW' },
];
export const STAFF_PASSWORD = 'chuangkou2026';

function serverBinary(): string {
  if (process.env.ONEWINDOW_BIN) return process.env.ONEWINDOW_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(__dirname, '..', 'target');
  const built = ['release', 'debug']
    .map((p) => join(target, p, 'onewindow'))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (built.length === 0) throw new Error(`no onewindow binary under ${target}; set ONEWINDOW_BIN`);
  return built[0];
}

export default async function globalSetup() {
  const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 180_000;
  let last = '';
  let healthy = false;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) {
        healthy = true;
        break;
      }
      last = `status ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!healthy) throw new Error(`the server at ${base} did not become healthy: ${last}`);

  const bin = serverBinary();
  for (const s of STAFF) {
    try {
      execFileSync(bin, ['create-staff', '--login', s.login, '--name', s.name, '--role', s.role, '--department', s.department], {
        env: { ...process.env, ONEWINDOW_STAFF_PASSWORD: STAFF_PASSWORD },
        stdio: 'pipe',
      });
    } catch (error: any) {
      // Exit 2 with 该工号已存在: made by an earlier run against the same database.
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      if (!output.includes('该工号已存在')) throw new Error(`create-staff failed: ${output || error}`);
    }
  }
}
