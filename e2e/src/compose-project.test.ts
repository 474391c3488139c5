import { describe, expect, it } from 'vitest';
import { withoutPublishedPorts } from './compose-project.ts';

// The shape `docker-compose config` (1.29) prints for a service with published ports.
const RESOLVED = `services:
  collector:
    network_mode: host
    ports:
    - 127.0.0.1:4317:4317/tcp
    - 127.0.0.1:4318:4318/tcp
    restart: "no"
  gateway:
    environment:
      TO11_GATEWAY_PORT: '14000'
    ports:
    - 127.0.0.1:4000:4000/tcp
    stop_grace_period: 30s
`;

describe('withoutPublishedPorts', () => {
  it('removes every ports block and keeps every other line', () => {
    expect(withoutPublishedPorts(RESOLVED)).toBe(`services:
  collector:
    network_mode: host
    restart: "no"
  gateway:
    environment:
      TO11_GATEWAY_PORT: '14000'
    stop_grace_period: 30s
`);
  });
});
