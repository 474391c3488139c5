import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, renderMetrics } from './prometheus.ts';
import { mergeSnapshots } from './snapshot-merge.ts';

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

  it('sums the snapshots of several processes series by series', () => {
    const processes = [1, 2].map((n) => {
      const histogram = new Histogram('latency_seconds', 'Latency.', [0.1, 1]);
      histogram.observe({ model: 'a' }, 0.05 * n);
      histogram.observe({ model: `only${n}` }, 5);
      const counter = new Counter('errors_total', 'Errors.');
      counter.inc({ reason: 'x' }, n);
      return [
        histogram.snapshot(),
        counter.snapshot(),
        new Gauge('buffer', 'B.', () => n).snapshot(),
      ];
    });
    const before = JSON.stringify(processes);
    const text = renderMetrics(mergeSnapshots(processes));
    expect(JSON.stringify(processes), 'inputs are left as they were').toBe(before);
    expect(text).toContain('latency_seconds_bucket{model="a",le="0.1"} 2');
    expect(text).toContain('latency_seconds_count{model="a"} 2');
    expect(text).toContain('latency_seconds_sum{model="a"} 0.15');
    expect(text).toContain('latency_seconds_count{model="only1"} 1');
    expect(text).toContain('latency_seconds_count{model="only2"} 1');
    expect(text).toContain('errors_total{reason="x"} 3');
    expect(text).toContain('\nbuffer 3\n');
    expect(text.match(/# TYPE latency_seconds histogram/g)).toHaveLength(1);
  });

  it('leaves a histogram with other bucket bounds out of the sum', () => {
    const a = new Histogram('h', 'H.', [1]);
    const b = new Histogram('h', 'H.', [2]);
    a.observe({}, 0.5);
    b.observe({}, 0.5);
    expect(renderMetrics(mergeSnapshots([[a.snapshot()], [b.snapshot()]]))).toContain('h_count 1');
  });
});
