// `cargo leptos end-to-end` starts the server and the tests at the same moment: wait until
// the server answers before any test runs.
export default async function globalSetup() {
  const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server at ${base} did not become healthy: ${last}`);
}
