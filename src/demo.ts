// `npm run demo`: seeds the demo Units and one account for every role (src/app/demo-seed.ts) into the store of
// DATA_DIR / DATABASE_URL, so that a newcomer can sign in. Never part of production start-up.
import { seedDemo } from './app/demo-seed.ts';
import { ConfigError, loadConfig } from './config.ts';
import { Store } from './store/store.ts';

const password = process.env.DEMO_PASSWORD ?? 'Yunfu-demo-2026';
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
const store = await Store.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const created = await seedDemo(store, password);
  console.log(
    `demo accounts in ${store.description}: ${created.length > 0 ? created.join(', ') : 'already there'}`,
  );
  console.log(`password of every demo account: ${password} (DEMO_PASSWORD overrides it)`);
} finally {
  await store.close();
}
