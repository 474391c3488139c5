import { defineConfig } from 'drizzle-kit';

// spans.ts is left out: its partitioned DDL is the custom migration drizzle/0001_spans.sql.
export default defineConfig({
  dialect: 'postgresql',
  casing: 'snake_case',
  schema: [
    './src/schema/organizations.ts',
    './src/schema/projects.ts',
    './src/schema/api-keys.ts',
    './src/schema/usage-limits.ts',
  ],
  out: './drizzle',
});
