// The all-in-one (`pnpm start`): gateway + collector in one process sharing one store (SPEC §2).
// This entry starts the embedded store's Postgres server first (the cluster is unpacked on a
// first start, then the server starts in its own process), and only then loads the rest of
// the launcher (`start-main.ts`), which connects to that server when it opens the store: most
// of a start is Node loading gateway and collector, and the server is ready by then.
import { prestartEmbeddedStore } from '@to11/store/prestart';
import { storeLocationFromEnv } from './store-env.ts';

function prestart() {
  try {
    const location = storeLocationFromEnv(process.env, process.cwd());
    if (location.databaseUrl !== undefined) return null;
    return prestartEmbeddedStore(location);
  } catch {
    return null; // a configuration error: reported by the full configuration load
  }
}

const early = prestart();
const { runStart } = await import('./start-main.ts');
await runStart(early);
