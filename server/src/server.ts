/**
 * Composition root of the review server: reads the environment, opens the database, builds the app,
 * listens, and shuts down cleanly on SIGINT/SIGTERM. Run with `npm run server`.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp } from './app';
import { loadOrCreateJwtSecret } from './auth/secretFile';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/connect';
import { DEMO_ACCOUNTS, describeDemoAccounts, TEST_ACCOUNTS } from './seed/accounts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`invigil server: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'invigil-server' } });
  await mkdir(config.dataDir, { recursive: true });
  const jwtSecret = config.jwtSecret ?? (await loadOrCreateJwtSecret(config.dataDir));
  const { db, dialect } = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });

  let app;
  try {
    app = await buildApp({
      db,
      jwtSecret,
      logger,
      seed: config.seed,
      dataDir: config.dataDir,
      maxSegmentBytes: config.maxSegmentBytes,
      trustProxy: config.trustProxy,
      writeGraceMs: config.writeGraceMs,
      accessTtlSeconds: config.accessTtlSeconds,
      minAppVersion: config.minAppVersion,
      retentionDays: config.retentionDays,
      ...(config.identitySecret ? { identitySecret: config.identitySecret } : {}),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    process.stderr.write(`invigil server: start-up failed: ${(error as Error).message}\n`);
    await db.destroy();
    process.exit(1);
  }

  await app.listen({ port: config.port, host: config.host, listenTextResolver: (address) => `bound ${address}` });
  const { port } = app.server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // The e2e harness parses this line: exactly one `"msg":"listening"` with the URL.
  logger.info({ url: `http://${host}:${port}`, dialect, dataDir: dialect === 'sqlite' ? config.dataDir : undefined }, 'listening');
  const published = [...(config.seed.includes('demo') ? DEMO_ACCOUNTS : []), ...(config.seed.includes('test') ? TEST_ACCOUNTS : [])];
  if (published.length > 0) process.stderr.write(`\n${describeDemoAccounts(published)}\n\n`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => db.destroy())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`invigil server: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
