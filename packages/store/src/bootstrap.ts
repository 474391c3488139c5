/** SPEC §9 bootstrap: the first organization, project and key of an empty store. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { StoreInputError } from './errors.ts';
import { parseApiKeySecret } from './ids.ts';
import { ALL_SCOPES, insertKey } from './keys.ts';
import { apiKeys } from './schema/api-keys.ts';
import { organizations } from './schema/organizations.ts';
import { projects } from './schema/projects.ts';
import { insertOrganization, insertProject } from './tenancy.ts';
import type { BootstrapResult } from './types.ts';

/** Serializes bootstrap across processes starting together on one Postgres. */
const BOOTSTRAP_LOCK = 7_011_003;

async function firstProjectOf(db: Db, orgId: string) {
  const [project] = await db
    .select()
    .from(projects)
    .where(eq(projects.orgId, orgId))
    .orderBy(asc(projects.createdAt), asc(projects.id))
    .limit(1);
  return project ?? insertProject(db, orgId, 'default');
}

/**
 * Runs bootstrap in one transaction under an advisory lock. Answers `created` whenever it made
 * the key (empty store, or `apiKey` given and unknown); the caller prints the secret only when
 * it did not supply it.
 */
export async function bootstrap(db: Db, apiKey: string | undefined): Promise<BootstrapResult> {
  if (apiKey !== undefined && parseApiKeySecret(apiKey) === null) {
    throw new StoreInputError(
      'the bootstrap API key must match to11_(live|test)_[A-Za-z0-9]{20,64}',
    );
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`));
    const [firstOrg] = await tx
      .select()
      .from(organizations)
      .orderBy(asc(organizations.createdAt), asc(organizations.id))
      .limit(1);
    if (firstOrg === undefined || apiKey !== undefined) {
      const hash = apiKey === undefined ? null : parseApiKeySecret(apiKey)?.hash;
      if (hash !== null && hash !== undefined) {
        const [known] = await tx
          .select({ id: apiKeys.id })
          .from(apiKeys)
          .where(eq(apiKeys.hash, hash));
        if (known !== undefined) return { status: 'existing' } as const;
      }
      const org = firstOrg ?? (await insertOrganization(tx, 'default'));
      const project = await firstProjectOf(tx, org.id);
      const { key, secret } = await insertKey(tx, {
        orgId: org.id,
        name: 'bootstrap',
        scopeClass: 'project',
        projectId: project.id,
        scopes: [...ALL_SCOPES],
        environment: 'test',
        ...(apiKey === undefined ? {} : { secret: apiKey }),
      });
      return {
        status: 'created',
        orgId: org.id,
        projectId: project.id,
        keyId: key.id,
        secret,
      } as const;
    }
    return { status: 'existing' } as const;
  });
}
