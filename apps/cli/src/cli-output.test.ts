import { describe, expect, it } from 'vitest';
import { formatCreatedKey, formatInstant, formatKeys, formatProjects } from './cli-output.ts';
import { formatTable } from './text-table.ts';

const now = new Date('2025-06-01T00:00:00.000Z');
const key = {
  id: 'key_1',
  name: null,
  prefix: 'ab12cd34',
  scopeClass: 'project',
  projectId: 'proj_1',
  scopes: ['gateway:invoke', 'admin'],
  expiresAt: null,
  revokedAt: null,
  createdAt: '2025-05-01T10:00:00.000Z',
};

describe('text output', () => {
  it('aligns columns two spaces apart without trailing blanks', () => {
    expect(
      formatTable(
        ['A', 'LONGER'],
        [
          ['xyz', '1'],
          ['', '22'],
        ],
      ),
    ).toBe('A    LONGER\nxyz  1\n     22');
  });

  it('lists projects with a compact UTC creation time', () => {
    const text = formatProjects([
      { id: 'proj_1', name: 'default', createdAt: '2025-05-01T10:00:00.123Z' },
    ]);
    expect(text).toBe('ID      NAME     CREATED\nproj_1  default  2025-05-01 10:00:00Z');
  });

  it('shows a key as active, expired or revoked and never prints a secret in a listing', () => {
    const text = formatKeys(
      [
        key,
        { ...key, id: 'key_2', expiresAt: '2025-05-31T00:00:00.000Z' },
        {
          ...key,
          id: 'key_3',
          revokedAt: '2025-05-02T00:00:00.000Z',
          scopeClass: 'org',
          projectId: null,
        },
      ],
      now,
    );
    const [header, ...rows] = text.split('\n');
    expect(header).toMatch(/^ID\s+PREFIX\s+NAME\s+CLASS\s+PROJECT\s+SCOPES\s+EXPIRES\s+STATUS$/);
    expect(rows[0]).toMatch(
      /^key_1\s+ab12cd34\s+-\s+project\s+proj_1\s+gateway:invoke,admin\s+never\s+active$/,
    );
    expect(rows[1]).toMatch(/2025-05-31 00:00:00Z\s+expired$/);
    expect(rows[2]).toMatch(/^key_3\s+ab12cd34\s+-\s+org\s+-\s+.*revoked$/);
  });

  it('ends a created key with its secret on its own line', () => {
    const text = formatCreatedKey({ ...key, key: 'to11_test_secretsecretsecretsecret' }, now);
    expect(text.split('\n').at(-1)).toBe(
      'Secret (shown only now, store it safely): to11_test_secretsecretsecretsecret',
    );
  });

  it('keeps unparsable instants as they are and shows a missing one as never', () => {
    expect(formatInstant('soon')).toBe('soon');
    expect(formatInstant(null)).toBe('never');
  });
});
