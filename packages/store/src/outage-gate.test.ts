import { describe, expect, it } from 'vitest';
import { OutageGate, StoreDownError } from './outage-gate.ts';

describe('OutageGate', () => {
  it('waits on the store until a read fails, then answers at once while one probe runs', async () => {
    const gate = new OutageGate();
    await expect(gate.read(() => Promise.reject(new Error('refused')), true)).rejects.toThrow(
      'refused',
    );
    let probes = 0;
    let finishProbe: (value: string) => void = () => {};
    const slowRead = () => {
      probes++;
      return new Promise<string>((resolve) => {
        finishProbe = resolve;
      });
    };
    await expect(gate.read(slowRead, true)).rejects.toBeInstanceOf(StoreDownError);
    await expect(gate.read(slowRead, true)).rejects.toBeInstanceOf(StoreDownError);
    expect(probes).toBe(1);
    finishProbe('row');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(gate.read(async () => 'row', true)).resolves.toBe('row');
  });

  it('still waits on the store for a caller without a fallback', async () => {
    const gate = new OutageGate();
    await expect(gate.read(() => Promise.reject(new Error('down')), false)).rejects.toThrow('down');
    await expect(gate.read(async () => 'row', false)).resolves.toBe('row');
  });
});
