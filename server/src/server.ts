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

/** After a stop signal, requests under way get this long to finish; then their connections are closed. */
const DRAIN_MS = 3_000;
/** The last resort, below the 10 s most supervisors wait before SIGKILL: whatever still holds the process is abandoned. */
const HARD_EXIT_MS = 8_000;

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
  // Everything the server writes (database, secrets, uploads, recordings, ID images, ffmpeg's output)
  // is for its own user only, whatever umask it was started with.
  process.umask(0o077);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
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
      recordingQuotaKbps: config.recordingQuotaKbps,
      maxOpenUploads: config.maxOpenUploads,
      trustProxy: config.trustProxy,
      writeGraceMs: config.writeGraceMs,
      accessTtlSeconds: config.accessTtlSeconds,
      minAppVersion: config.minAppVersion,
      retentionDays: config.retentionDays,
      ocrWorkers: config.ocrWorkers,
      releaseKeys: config.releaseKeys,
      live: { settings: config.live },
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
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
    // Idle keep-alive connections close at once (Fastify's default); requests still running (a hung
    // client, a trickling upload, a body that never ends) get DRAIN_MS, then their sockets are closed.
    setTimeout(() => {
      logger.warn({ afterMs: DRAIN_MS }, 'closing connections still open');
      app.server.closeAllConnections();
    }, DRAIN_MS).unref();
    setTimeout(() => {
      logger.fatal({ afterMs: HARD_EXIT_MS }, 'shutdown did not finish in time; exiting without it');
      process.exit(1);
    }, HARD_EXIT_MS).unref();
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
