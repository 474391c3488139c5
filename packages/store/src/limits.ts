/** Stored rate limits and budgets per API key and per project (SPEC §10 "Shared state"). */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { type LimitSettings, type LimitSubject, NO_LIMITS } from './limit-windows.ts';
import { type UsageLimitsRow, usageLimits } from './schema/usage-limits.ts';
import type { Store } from './types.ts';

function settingsOf(row: UsageLimitsRow | undefined): LimitSettings {
  if (row === undefined) return { ...NO_LIMITS };
  return {
    requests_per_minute: row.requestsPerMinute,
    tokens_per_minute: row.tokensPerMinute,
    usd_per_day: row.usdPerDay,
    usd_per_month: row.usdPerMonth,
  };
}

/** The limit operations of the store. */
export function createLimits(db: Db): Store['limits'] {
  return {
    async get(subjectIds) {
      const ids = [...new Set(subjectIds)];
      const rows =
        ids.length === 0
          ? []
          : await db.select().from(usageLimits).where(inArray(usageLimits.subjectId, ids));
      const byId = new Map(rows.map((row) => [row.subjectId, row]));
      return new Map(ids.map((id) => [id, settingsOf(byId.get(id))]));
    },
    async set(input: {
      orgId: string;
      subjectKind: LimitSubject;
      subjectId: string;
      settings: LimitSettings;
    }) {
      const { settings } = input;
      const values = {
        requestsPerMinute: settings.requests_per_minute,
        tokensPerMinute: settings.tokens_per_minute,
        usdPerDay: settings.usd_per_day,
        usdPerMonth: settings.usd_per_month,
      };
      if (Object.values(values).every((value) => value === null)) {
        await db.delete(usageLimits).where(eq(usageLimits.subjectId, input.subjectId));
        return;
      }
      await db
        .insert(usageLimits)
        .values({
          subjectId: input.subjectId,
          subjectKind: input.subjectKind,
          orgId: input.orgId,
          ...values,
        })
        .onConflictDoUpdate({
          target: usageLimits.subjectId,
          set: { ...values, updatedAt: sql`now()` },
        });
    },
  };
}
