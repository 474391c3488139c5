import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, renderMetrics } from './prometheus.ts';

describe('Prometheus exposition', () => {
  it('renders cumulative histogram buckets with sum and count per label set', () => {
    const histogram = new Histogram('latency_seconds', 'Latency.', [0.1, 1]);
    histogram.observe({ model: 'a' }, 0.05);
    histogram.observe({ model: 'a' }, 0.5);
    histogram.observe({ model: 'a' }, 5);
    const text = histogram.render();
    expect(text).toContain('# TYPE latency_seconds histogram');
    expect(text).toContain('latency_seconds_bucket{model="a",le="0.1"} 1');
    expect(text).toContain('latency_seconds_bucket{model="a",le="1"} 2');
    expect(text).toContain('latency_seconds_bucket{model="a",le="+Inf"} 3');
    expect(text).toContain('latency_seconds_sum{model="a"} 5.55');
    expect(text).toContain('latency_seconds_count{model="a"} 3');
  });

  it('escapes label values and shows an untouched counter as 0', () => {
    const counter = new Counter('errors_total', 'Errors.');
    expect(counter.render()).toContain('\nerrors_total 0');
    counter.inc({ reason: 'a "quoted"\nvalue\\' }, 2);
    expect(counter.render()).toContain('errors_total{reason="a \\"quoted\\"\\nvalue\\\\"} 2');
    expect(counter.value({ reason: 'a "quoted"\nvalue\\' })).toBe(2);
  });

  it('reads gauges at render time and ends the document with a newline', () => {
    let value = 1;
    const gauge = new Gauge('buffer', 'Buffer.', () => value);
    value = 7;
    const text = renderMetrics([gauge]);
    expect(text).toContain('\nbuffer 7\n');
    expect(text.endsWith('\n')).toBe(true);
  });
});
