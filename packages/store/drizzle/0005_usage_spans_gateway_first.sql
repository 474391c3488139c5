-- Custom migration (issue 14, counting once): the gateway's own span first, even when the span
-- linking it to the caller's span was never exported. A tracing library's processor may drop
-- the HTTP client span between its LLM span and the gateway's spans (Langfuse's default span
-- filter does): the gateway's spans then point at a parent that is never stored, the ancestor
-- walk stops there, and the call counted twice (the library's usage and the gateway's).
--
-- The rule (SPEC §10, and `@to11/trace-core/counted-usage` for clients): a gateway usage span
-- whose chain of parents breaks (a parent id that no stored span has) is "stray"; a non-gateway
-- usage span of the same trace whose interval contains a stray gateway span counts as above it,
-- so it does not count. usage_spans gains `gateway` (the span's source is the gateway) so the
-- rule needs no lookup in spans to know whose a usage span is, and the walk for stray spans runs
-- only for traces holding both a gateway and a non-gateway usage span ("mixed"): a trace of the
-- gateway's spans only, or of one library's spans only, costs what it cost under 0004. Every
-- check is a join (hash or index), never a per-row scan of a CTE.
ALTER TABLE "usage_spans" ADD COLUMN "gateway" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'spans'::regclass LOOP
    EXECUTE format($q$
      UPDATE usage_spans u SET gateway = true FROM %s s
       WHERE s.project_id = u.project_id AND s.trace_id = u.trace_id AND s.span_id = u.span_id
         AND s.start_time_unix_nano = u.start_ns AND s.source = 'gateway'
    $q$, part);
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION usage_spans_insert_sql(source text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    INSERT INTO usage_spans
    SELECT s.project_id, s.trace_id, s.span_id, s.start_time_unix_nano, s.parent_span_id,
      s.end_time_unix_nano, s.status_code, coalesce(s.request_model, s.response_model), s.provider,
      s.input_tokens, s.output_tokens, s.cost,
      CASE WHEN jsonb_typeof(s.attributes -> 'gen_ai.server.time_to_first_token') = 'number'
        THEN (s.attributes ->> 'gen_ai.server.time_to_first_token')::float8 * 1000 END,
      true, s.source = 'gateway'
    FROM %s s
    WHERE s.input_tokens IS NOT NULL OR s.output_tokens IS NOT NULL
    ORDER BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING
  $q$, source);
END
$fn$;
--> statement-breakpoint
-- As in 0004, plus the stray rule. `tree` now holds every span of a walked trace, roots too, so
-- that a parent id missing from it is a parent never stored.
CREATE OR REPLACE FUNCTION usage_spans_recount_sql(keys text, batch text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN array[format($q$
    WITH RECURSIVE k AS MATERIALIZED (
      SELECT project_id, trace_id, max(n) AS n FROM %1$s keys GROUP BY project_id, trace_id
    ),
    multi AS MATERIALIZED (
      SELECT k.project_id, k.trace_id, t.start_ns, t.end_ns, k.n = t.span_count AS whole,
        EXISTS (SELECT 1 FROM usage_spans u WHERE u.project_id = k.project_id
            AND u.trace_id = k.trace_id AND u.gateway)
          AND EXISTS (SELECT 1 FROM usage_spans u WHERE u.project_id = k.project_id
            AND u.trace_id = k.trace_id AND NOT u.gateway) AS mixed
        FROM k JOIN trace_summaries t ON t.project_id = k.project_id AND t.trace_id = k.trace_id
       WHERE (SELECT count(*) FROM (SELECT 1 FROM usage_spans u
               WHERE u.project_id = k.project_id AND u.trace_id = k.trace_id LIMIT 2) x) = 2
    ),
    tree AS MATERIALIZED (
      SELECT b.project_id, b.trace_id, b.span_id, b.parent_span_id, m.mixed
        FROM %2$s b JOIN multi m ON m.project_id = b.project_id AND m.trace_id = b.trace_id
       WHERE m.whole AND (m.mixed OR b.parent_span_id IS NOT NULL)
      UNION ALL
      SELECT s.project_id, s.trace_id, s.span_id, s.parent_span_id, m.mixed
        FROM multi m JOIN spans s ON s.project_id = m.project_id AND s.trace_id = m.trace_id
         AND s.start_time_unix_nano BETWEEN m.start_ns AND m.end_ns
       WHERE NOT m.whole AND (m.mixed OR s.parent_span_id IS NOT NULL)
    ),
    above(project_id, trace_id, span_id) AS (
      SELECT u.project_id, u.trace_id, u.parent_span_id
        FROM multi m JOIN usage_spans u ON u.project_id = m.project_id AND u.trace_id = m.trace_id
       WHERE u.parent_span_id IS NOT NULL
      UNION
      SELECT s.project_id, s.trace_id, s.parent_span_id
        FROM above a JOIN tree s
          ON s.project_id = a.project_id AND s.trace_id = a.trace_id AND s.span_id = a.span_id
       WHERE s.parent_span_id IS NOT NULL
    ),
    -- The chain of parents of each gateway usage span of a mixed trace, up to where it ends,
    -- carrying the span's interval (all the rule needs of it).
    chain(project_id, trace_id, origin_start, origin_end, parent) AS (
      SELECT g.project_id, g.trace_id, g.start_ns, g.end_ns, g.parent_span_id
        FROM multi m JOIN usage_spans g ON g.project_id = m.project_id AND g.trace_id = m.trace_id
       WHERE m.mixed AND g.gateway AND g.parent_span_id IS NOT NULL
      UNION
      SELECT c.project_id, c.trace_id, c.origin_start, c.origin_end, s.parent_span_id
        FROM chain c JOIN tree s
          ON s.project_id = c.project_id AND s.trace_id = c.trace_id AND s.span_id = c.parent
       WHERE s.parent_span_id IS NOT NULL
    ),
    -- Each parent id a chain reached, beside the ids of the walked traces' spans: an id that no
    -- span has is where a chain breaks (grouped, not joined, so the plan stays linear whatever
    -- the planner guesses of these CTEs' sizes).
    links(project_id, trace_id, id, origin_start, origin_end) AS (
      SELECT project_id, trace_id, parent, origin_start, origin_end FROM chain
      UNION ALL
      SELECT project_id, trace_id, span_id, NULL, NULL FROM tree WHERE mixed
    ),
    broken AS (
      SELECT project_id, trace_id, array_agg(origin_start) AS starts, array_agg(origin_end) AS ends
        FROM links GROUP BY project_id, trace_id, id HAVING bool_and(origin_start IS NOT NULL)
    ),
    -- The intervals of the gateway usage spans whose chain breaks.
    stray AS MATERIALIZED (
      SELECT b.project_id, b.trace_id, o.start_ns, o.end_ns
        FROM broken b CROSS JOIN LATERAL unnest(b.starts, b.ends) AS o(start_ns, end_ns)
    ),
    -- Non-gateway usage spans that contain a stray gateway span in time.
    around AS (
      SELECT u.project_id, u.trace_id, u.span_id, u.start_ns
        FROM stray g JOIN usage_spans u ON u.project_id = g.project_id AND u.trace_id = g.trace_id
       WHERE NOT u.gateway AND u.start_ns <= g.start_ns AND g.end_ns <= u.end_ns
    ),
    -- Every usage span of the recounted traces counts unless a usage span lies below it or a
    -- stray gateway span within it (again grouped rather than joined).
    flags AS (
      SELECT project_id, trace_id, span_id, start_ns, bool_and(counted) AS counted
        FROM (
          SELECT u.project_id, u.trace_id, u.span_id, u.start_ns, true AS counted
            FROM k JOIN usage_spans u ON u.project_id = k.project_id AND u.trace_id = k.trace_id
          UNION ALL
          SELECT u.project_id, u.trace_id, u.span_id, u.start_ns, false
            FROM above a JOIN usage_spans u ON u.project_id = a.project_id
             AND u.trace_id = a.trace_id AND u.span_id = a.span_id
          UNION ALL
          SELECT project_id, trace_id, span_id, start_ns, false FROM around
        ) x
       GROUP BY project_id, trace_id, span_id, start_ns
    )
    UPDATE usage_spans u SET counted = f.counted FROM flags f
     WHERE u.project_id = f.project_id AND u.trace_id = f.trace_id AND u.span_id = f.span_id
       AND u.start_ns = f.start_ns AND u.counted <> f.counted
  $q$, keys, batch), format($q$
    WITH k AS (SELECT DISTINCT project_id, trace_id FROM %1$s keys),
    x AS (
      SELECT k.project_id, k.trace_id,
        count(*) FILTER (WHERE u.counted)::int AS call_count,
        coalesce(sum(u.input_tokens) FILTER (WHERE u.counted), 0) AS input_tokens,
        coalesce(sum(u.output_tokens) FILTER (WHERE u.counted), 0) AS output_tokens,
        sum(u.cost) FILTER (WHERE u.counted) AS cost
        FROM k LEFT JOIN usage_spans u ON u.project_id = k.project_id AND u.trace_id = k.trace_id
       GROUP BY k.project_id, k.trace_id
    )
    UPDATE trace_summaries t
       SET call_count = x.call_count, input_tokens = x.input_tokens,
         output_tokens = x.output_tokens, cost = x.cost
      FROM x
     WHERE t.project_id = x.project_id AND t.trace_id = x.trace_id
       AND (t.call_count, t.input_tokens, t.output_tokens, t.cost)
         IS DISTINCT FROM (x.call_count, x.input_tokens, x.output_tokens, x.cost)
  $q$, keys)];
END
$fn$;
--> statement-breakpoint
-- Traces stored before this migration that hold both a gateway and a non-gateway usage span:
-- recounted under the new rule, each one whole in `spans`.
SELECT usage_spans_recount(
  '(SELECT DISTINCT g.project_id, g.trace_id, 0 AS n FROM usage_spans g JOIN usage_spans o
     ON o.project_id = g.project_id AND o.trace_id = g.trace_id AND NOT o.gateway WHERE g.gateway)',
  '(SELECT * FROM spans WHERE false)');
--> statement-breakpoint
ANALYZE "usage_spans";
