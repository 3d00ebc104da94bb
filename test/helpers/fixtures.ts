import { test as base, expect, type Page } from '@playwright/test';
import { type Running, startServer, startWebHost, tempDir } from './processes';

export interface Stack {
  server: Running;
  webHost: Running;
  /** Kills the web host abruptly (SIGKILL, like a crash) and starts it again on the same port and data folder. */
  crashAndRestartWebHost(): Promise<void>;
  serverDataDir: string;
  webHostDataDir: string;
  /** Stops the server and starts it again on the same port and data folder (an outage). */
  restartServer(): Promise<void>;
  stopServer(): Promise<void>;
  startServerAgain(): Promise<void>;
}

/**
 * A real review server and web host per test, each on a free port with a fresh data folder. Live
 * proctoring (the SFU's workers) runs only in tests that ask for it with `test.use({ live: true })`:
 * elsewhere the learner's page hears `live_unavailable` and the exam goes on without it.
 */
export const test = base.extend<{ stack: Stack; live: boolean }>({
  live: [false, { option: true }],
  stack: async ({ live }, use) => {
    const serverDataDir = tempDir('server');
    const webHostDataDir = tempDir('webhost');
    const serverEnv = { INVIGIL_LIVE: live ? 'on' : 'off' };
    let server = await startServer({ dataDir: serverDataDir, env: serverEnv });
    const port = Number(new URL(server.url).port);
    let webHost = await startWebHost({ serverUrl: server.url, dataDir: webHostDataDir });
    const webHostPort = Number(new URL(webHost.url).port);
    const stack: Stack = {
      get server() {
        return server;
      },
      get webHost() {
        return webHost;
      },
      async crashAndRestartWebHost() {
        await webHost.kill();
        webHost = await startWebHost({ serverUrl: server.url, dataDir: webHostDataDir, port: webHostPort });
      },
      serverDataDir,
      webHostDataDir,
      async stopServer() {
        await server.stop();
      },
      async startServerAgain() {
        server = await startServer({ dataDir: serverDataDir, port, env: serverEnv });
      },
      async restartServer() {
        await stack.stopServer();
        await stack.startServerAgain();
      },
    };
    await use(stack);
    await webHost.stop();
    await server.stop();
  },
});

export { expect };

export const demoLearner = { email: 'learner@invigil.test', password: 'learner-demo-1', fullName: 'Amara Okafor' };

export async function signIn(page: Page, stack: Stack, who = demoLearner): Promise<void> {
  await page.goto(stack.webHost.url + '/');
  await expect(page.getByRole('heading', { name: 'Sign in to Invigil' })).toBeVisible();
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Your exams' })).toBeVisible();
}

export function shot(name: string): string {
  return `test-results/screenshots/${name}.png`;
}
