/** Organizations and projects (SPEC §3). */
import { asc, eq } from 'drizzle-orm';
import type { Db } from './database.ts';
import { StoreInputError } from './errors.ts';
import { newId } from './ids.ts';
import { organizations } from './schema/organizations.ts';
import { projects } from './schema/projects.ts';
import type { Organization, Project, Store } from './types.ts';

function checkName(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new StoreInputError(`${what} name must not be empty`);
  return trimmed;
}

/** Inserts an organization. */
export async function insertOrganization(db: Db, name: string): Promise<Organization> {
  const [row] = await db
    .insert(organizations)
    .values({ id: newId('org'), name: checkName(name, 'organization') })
    .returning();
  if (row === undefined) throw new Error('insert into organizations returned no row');
  return row;
}

/** Inserts a project; throws `StoreInputError` when the organization does not exist. */
export async function insertProject(db: Db, orgId: string, name: string): Promise<Project> {
  const checked = checkName(name, 'project');
  const [org] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (org === undefined) throw new StoreInputError(`unknown organization ${orgId}`);
  const [row] = await db
    .insert(projects)
    .values({ id: newId('proj'), orgId, name: checked })
    .returning();
  if (row === undefined) throw new Error('insert into projects returned no row');
  return row;
}

/** The organization and project operations of the store. */
export function createTenancy(db: Db): Pick<Store, 'organizations' | 'projects'> {
  return {
    organizations: {
      create: (name) => insertOrganization(db, name),
      list: () => db.select().from(organizations).orderBy(asc(organizations.createdAt)),
    },
    projects: {
      create: (orgId, name) => insertProject(db, orgId, name),
      list: (orgId) =>
        db
          .select()
          .from(projects)
          .where(eq(projects.orgId, orgId))
          .orderBy(asc(projects.createdAt), asc(projects.id)),
      async get(projectId) {
        const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
        return row ?? null;
      },
    },
  };
}
