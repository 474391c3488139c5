-- Custom migration (issue 13, read performance): counted LLM usage kept at write time, so the
-- trace list, its usage filters, sessions and the dashboard read stored rows instead of walking
-- span ancestors at read time. The counting rule (src/counted-usage.ts, SPEC §10): a span's usage
-- counts only when no span below it (at any depth) carries usage.
--
-- usage_spans: one row per span that carries usage (input or output tokens), with what the
-- dashboard needs of the call and whether it counts. trace_summaries gains the trace's counted
-- totals. The spans trigger inserts the usage spans of each statement's rows, then recounts the
-- traces the statement touched from all their stored spans: a span that arrives late (a child
-- after its parent, a parent after its child, the span linking two carriers last) changes the
-- flags of spans already stored. The recount runs after the summary merge, which holds the row
-- lock of every touched trace's summary until commit: writers of one trace recount one after
-- the other, each seeing the spans the previous one committed.
CREATE TABLE "usage_spans" (
	"project_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"span_id" text NOT NULL,
	"start_ns" bigint NOT NULL,
	"parent_span_id" text,
	"end_ns" bigint NOT NULL,
	"status_code" text NOT NULL,
	"model" text,
	"provider" text,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost" double precision,
	"ttft_ms" double precision,
	"counted" boolean NOT NULL,
	CONSTRAINT "usage_spans_pkey" PRIMARY KEY ("project_id","trace_id","span_id","start_ns")
);
--> statement-breakpoint
-- The dashboard's scan: counted calls of a project by start, covering what it reads (index-only
-- once vacuum has marked the pages all-visible).
CREATE INDEX "usage_spans_counted_start_idx" ON "usage_spans" USING btree ("project_id","start_ns")
	INCLUDE ("end_ns","status_code","model","provider","input_tokens","output_tokens","cost","ttft_ms")
	WHERE "counted";
--> statement-breakpoint
ALTER TABLE "trace_summaries"
	ADD COLUMN "call_count" integer DEFAULT 0 NOT NULL,
	ADD COLUMN "input_tokens" bigint DEFAULT 0 NOT NULL,
	ADD COLUMN "output_tokens" bigint DEFAULT 0 NOT NULL,
	ADD COLUMN "cost" double precision;
--> statement-breakpoint
-- The usage spans of the span rows of `source` (a relation or a parenthesized query), each
-- counted until a recount says otherwise.
CREATE FUNCTION usage_spans_insert_sql(source text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    INSERT INTO usage_spans
    SELECT s.project_id, s.trace_id, s.span_id, s.start_time_unix_nano, s.parent_span_id,
      s.end_time_unix_nano, s.status_code, coalesce(s.request_model, s.response_model), s.provider,
      s.input_tokens, s.output_tokens, s.cost,
      CASE WHEN jsonb_typeof(s.attributes -> 'gen_ai.server.time_to_first_token') = 'number'
        THEN (s.attributes ->> 'gen_ai.server.time_to_first_token')::float8 * 1000 END,
      true
    FROM %s s
    WHERE s.input_tokens IS NOT NULL OR s.output_tokens IS NOT NULL
    ORDER BY 1, 2, 3, 4
    ON CONFLICT DO NOTHING
  $q$, source);
END
$fn$;
--> statement-breakpoint
-- The two statements that recount the traces of `keys` (a relation or parenthesized query with
-- project_id, trace_id and n, the number of the trace's spans in `batch`): first each usage
-- span's `counted` flag, then the trace's totals in trace_summaries. The ancestor walk reads the
-- trace's spans from `batch` when it holds all of them (n = span_count: a trace written in one
-- statement), else from spans, bounded by the trace's start and end (partition pruning). Only
-- traces with two usage spans or more are walked: a single one always counts.
CREATE FUNCTION usage_spans_recount_sql(keys text, batch text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN array[format($q$
    WITH RECURSIVE k AS MATERIALIZED (
      SELECT project_id, trace_id, max(n) AS n FROM %1$s keys GROUP BY project_id, trace_id
    ),
    multi AS MATERIALIZED (
      SELECT k.project_id, k.trace_id, t.start_ns, t.end_ns, k.n = t.span_count AS whole
        FROM k JOIN trace_summaries t ON t.project_id = k.project_id AND t.trace_id = k.trace_id
       WHERE (SELECT count(*) FROM (SELECT 1 FROM usage_spans u
               WHERE u.project_id = k.project_id AND u.trace_id = k.trace_id LIMIT 2) x) = 2
    ),
    tree AS MATERIALIZED (
      SELECT b.project_id, b.trace_id, b.span_id, b.parent_span_id
        FROM %2$s b JOIN multi m ON m.project_id = b.project_id AND m.trace_id = b.trace_id
       WHERE m.whole AND b.parent_span_id IS NOT NULL
      UNION ALL
      SELECT s.project_id, s.trace_id, s.span_id, s.parent_span_id
        FROM multi m JOIN spans s ON s.project_id = m.project_id AND s.trace_id = m.trace_id
         AND s.start_time_unix_nano BETWEEN m.start_ns AND m.end_ns
       WHERE NOT m.whole AND s.parent_span_id IS NOT NULL
    ),
    above(project_id, trace_id, span_id) AS (
      SELECT u.project_id, u.trace_id, u.parent_span_id
        FROM multi m JOIN usage_spans u ON u.project_id = m.project_id AND u.trace_id = m.trace_id
       WHERE u.parent_span_id IS NOT NULL
      UNION
      SELECT s.project_id, s.trace_id, s.parent_span_id
        FROM above a JOIN tree s
          ON s.project_id = a.project_id AND s.trace_id = a.trace_id AND s.span_id = a.span_id
    ),
    flags AS (
      SELECT u.project_id, u.trace_id, u.span_id, u.start_ns,
        NOT EXISTS (SELECT 1 FROM above a WHERE a.project_id = u.project_id
          AND a.trace_id = u.trace_id AND a.span_id = u.span_id) AS counted
        FROM k JOIN usage_spans u ON u.project_id = k.project_id AND u.trace_id = k.trace_id
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
CREATE FUNCTION usage_spans_recount(keys text, batch text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE statement text;
BEGIN
  FOREACH statement IN ARRAY usage_spans_recount_sql(keys, batch) LOOP
    EXECUTE statement;
  END LOOP;
END
$$;
--> statement-breakpoint
-- The transition table is visible only to this function's own statements: it runs them itself.
CREATE OR REPLACE FUNCTION spans_summarize() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE statement text;
BEGIN
  EXECUTE trace_summaries_merge_sql('new_spans');
  EXECUTE usage_spans_insert_sql('new_spans');
  FOREACH statement IN ARRAY usage_spans_recount_sql(
    '(SELECT project_id, trace_id, count(*)::int AS n FROM new_spans GROUP BY project_id, trace_id)',
    'new_spans') LOOP
    EXECUTE statement;
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Spans stored before this migration: their usage spans, then every trace recounted (each one
-- whole in `spans`).
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'spans'::regclass LOOP
    EXECUTE usage_spans_insert_sql(part::text);
  END LOOP;
  PERFORM usage_spans_recount(
    '(SELECT DISTINCT project_id, trace_id, 0 AS n FROM usage_spans)', '(SELECT * FROM spans WHERE false)');
END
$$;
--> statement-breakpoint
ANALYZE "usage_spans";
--> statement-breakpoint
ANALYZE "trace_summaries";
