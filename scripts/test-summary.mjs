// Prints every failed test of the last `pnpm test` at the end of its output. The tasks run one
// after another and each prints its log when it ends, so the failure of an early task is far up
// in a long log (CI shows the tail). Reads the JSON report each package's vitest writes
// (`--outputFile.json=.vitest-report.json`, set by the root `test` script). With `--clear` it
// removes the reports of an earlier run instead, so none is read twice.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const packageDirs = workspacePackageDirs();

const reportPaths = packageDirs.map((dir) => join(dir, '.vitest-report.json'));
if (process.argv.includes('--clear')) {
  for (const path of reportPaths) rmSync(path, { force: true });
  process.exit(0);
}

const MAX_MESSAGE_LINES = 20;
let failed = 0;
for (const reportPath of reportPaths) {
  if (!existsSync(reportPath)) continue;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  for (const file of report.testResults ?? []) {
    const where = relative(root, file.name);
    const failures = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    if (failures.length === 0 && file.status === 'failed') {
      failed++;
      console.error(`\nFAILED ${where}\n${clip(file.message ?? '')}`);
    }
    for (const test of failures) {
      failed++;
      console.error(
        `\nFAILED ${where} > ${test.fullName}\n${clip(test.failureMessages.join('\n'))}`,
      );
    }
  }
}
console.error(
  failed === 0
    ? '\ntest summary: no failed test in the vitest reports (a task failed outside vitest?)'
    : `\ntest summary: ${failed} failed (above)`,
);

/**
 * The package folders `pnpm-workspace.yaml` lists under `packages:` (`dir` or `dir/*` entries,
 * the only forms it uses), so a new package is summarised without a change here.
 */
function workspacePackageDirs() {
  const workspace = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const list = workspace.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...list.matchAll(/^\s+-\s+["']?([^"'\s#]+)/gm)].flatMap(([, entry]) => {
    if (!entry.endsWith('/*')) return [join(root, entry)];
    const parent = join(root, entry.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((dirent) => dirent.isDirectory())
      .map((dirent) => join(parent, dirent.name));
  });
}

function clip(message) {
  const lines = message.split('\n').filter((line) => !line.includes('/node_modules/'));
  const kept = lines.slice(0, MAX_MESSAGE_LINES).map((line) => `    ${line}`);
  if (lines.length > MAX_MESSAGE_LINES)
    kept.push(`    … ${lines.length - MAX_MESSAGE_LINES} more lines`);
  return kept.join('\n');
}
