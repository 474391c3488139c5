// Writes the configuration reference (every env variable and to11.toml key) into the root
// README between its config-table markers. config-table.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderConfigTable, replaceConfigTable } from '../src/config-table.ts';

const readmePath = resolve(import.meta.dirname, '../../../README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = replaceConfigTable(readme, renderConfigTable());
if (next !== readme) writeFileSync(readmePath, next);
process.stdout.write(`${next === readme ? 'up to date' : 'updated'}: ${readmePath}\n`);
