/**
 * A second app instance in its own process (as a second server would be), on the database in
 * CHILD_DATABASE; prints "LISTENING <port>" once it answers on 127.0.0.1, and exits when its
 * stdin closes (the parent ended it or went away).
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { buildApp, listen } from '../../src/server.js';

const database = JSON.parse(process.env.CHILD_DATABASE!) as AppConfig['database'];
const config = loadConfig({ IPOCKET_DATA_DIR: process.env.CHILD_DATA_DIR!, IPOCKET_SCHEDULER: '0' });
config.database = database;
const db = openDatabase(database);
const app = await buildApp({ config, db });
const server = await listen(app, { port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close(() => void db.destroy().then(() => process.exit(0)));
});
