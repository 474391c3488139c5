import { describe, expect, it } from 'vitest';
import { clientContext, contextOperation } from './client-context.ts';

const headers =
  (record: Record<string, string>) =>
  (name: string): string | undefined =>
    record[name];

describe('contextOperation', () => {
  it('writes the agent and data-source headers under the semconv names', () => {
    const declared = contextOperation(
      headers({
        'x-to11-context-operation': ' Invoke_Agent ',
        'x-to11-context-agent-name': 'planner',
        'x-to11-context-agent-id': 'agent-7',
        'x-to11-context-data-source-id': 'kb-1',
        'x-to11-context-tool-name': 'search',
      }),
    );
    expect(declared).toEqual({
      operation: 'invoke_agent',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'planner',
        'gen_ai.agent.id': 'agent-7',
        'gen_ai.data_source.id': 'kb-1',
        'gen_ai.tool.name': 'search',
      },
    });
  });

  it('ignores an operation outside the list', () => {
    expect(contextOperation(headers({ 'x-to11-context-operation': 'chat' }))).toBeNull();
  });
});

describe('clientContext', () => {
  it('prefers the x-to11 header over the body user and splits prompt labels', () => {
    const attributes = clientContext(
      headers({ 'x-to11-user-id': 'u-head', 'x-to11-prompt-labels': 'a, b,,c' }),
      'u-body',
    );
    expect(attributes).toEqual({ 'gen_ai.user.id': 'u-head', 'prompt.labels': ['a', 'b', 'c'] });
  });
});
