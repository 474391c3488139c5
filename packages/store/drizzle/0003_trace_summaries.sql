-- Custom migration (issue 13, read performance): one summary row per trace, kept by a statement
-- trigger on spans, so the trace list, its filters and the sessions read ~one row per trace
-- instead of aggregating every span at read time. See src/trace-summaries.ts.
CREATE TABLE "trace_summaries" (
	"project_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"start_ns" bigint NOT NULL,
	"end_ns" bigint NOT NULL,
	"span_count" integer NOT NULL,
	"has_error" boolean NOT NULL,
	"has_ok" boolean NOT NULL,
	"has_tool_calls" boolean NOT NULL,
	"root_start" bigint,
	"root_span_id" text,
	"root_name" text,
	"root_service" text,
	"first_span_id" text NOT NULL,
	"first_name" text NOT NULL,
	"first_service" text,
	"session_start" bigint,
	"session_id" text,
	"session_ids" text[] NOT NULL,
	"models" text[] NOT NULL,
	"providers" text[] NOT NULL,
	"services" text[] NOT NULL,
	"users" text[] NOT NULL,
	"environments" text[] NOT NULL,
	CONSTRAINT "trace_summaries_pkey" PRIMARY KEY ("project_id","trace_id")
);
--> statement-breakpoint
CREATE INDEX "trace_summaries_project_start_idx" ON "trace_summaries" USING btree ("project_id","start_ns" DESC,"trace_id" DESC);
--> statement-breakpoint
CREATE FUNCTION trace_summaries_union(a text[], b text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}') FROM unnest(a || b) x WHERE x IS NOT NULL
$$;
--> statement-breakpoint
-- The statement that merges the summaries of the span rows of `source` (a relation or a
-- parenthesized query) into trace_summaries. Every field merges by min/max/sum/or/union, so
-- merges commute: concurrent writers of one trace give the same row in any order. Rows are
-- upserted in key order (row locks taken in one order).
CREATE FUNCTION trace_summaries_merge_sql(source text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    INSERT INTO trace_summaries AS t
    SELECT s.project_id, s.trace_id,
      min(s.start_time_unix_nano), max(s.end_time_unix_nano), count(*)::int,
      bool_or(s.status_code = 'ERROR'), bool_or(s.status_code = 'OK'),
      coalesce(bool_or(s.operation = 'execute_tool' OR s.name LIKE 'tool\_call.%%'
        OR (s.attributes ->> 'gen_ai.output.messages') LIKE '%%"tool_call"%%'), false),
      min(s.start_time_unix_nano) FILTER (WHERE s.parent_span_id IS NULL),
      (array_agg(s.span_id ORDER BY s.start_time_unix_nano, s.span_id) FILTER (WHERE s.parent_span_id IS NULL))[1],
      (array_agg(s.name ORDER BY s.start_time_unix_nano, s.span_id) FILTER (WHERE s.parent_span_id IS NULL))[1],
      (array_agg(s.resource -> 'attributes' ->> 'service.name' ORDER BY s.start_time_unix_nano, s.span_id) FILTER (WHERE s.parent_span_id IS NULL))[1],
      (array_agg(s.span_id ORDER BY s.start_time_unix_nano, s.span_id))[1],
      (array_agg(s.name ORDER BY s.start_time_unix_nano, s.span_id))[1],
      (array_agg(s.resource -> 'attributes' ->> 'service.name' ORDER BY s.start_time_unix_nano, s.span_id))[1],
      min(s.start_time_unix_nano) FILTER (WHERE s.session_id IS NOT NULL),
      (array_agg(s.session_id ORDER BY s.start_time_unix_nano) FILTER (WHERE s.session_id IS NOT NULL))[1],
      trace_summaries_union(array_agg(s.session_id), '{}'),
      trace_summaries_union(array_agg(s.request_model), array_agg(s.response_model)),
      trace_summaries_union(array_agg(s.provider), '{}'),
      trace_summaries_union(array_agg(s.resource -> 'attributes' ->> 'service.name'), '{}'),
      trace_summaries_union(array_agg(s.attributes ->> 'user.id'),
        array_agg(s.attributes ->> 'enduser.id') || array_agg(s.attributes ->> 'gen_ai.user.id')),
      trace_summaries_union(array_agg(coalesce(
        s.resource -> 'attributes' ->> 'deployment.environment.name',
        s.resource -> 'attributes' ->> 'deployment.environment',
        s.attributes ->> 'deployment.environment.name',
        s.attributes ->> 'deployment.environment')), '{}')
    FROM %s s
    GROUP BY s.project_id, s.trace_id
    ORDER BY s.project_id, s.trace_id
    ON CONFLICT (project_id, trace_id) DO UPDATE SET
      start_ns = least(t.start_ns, excluded.start_ns),
      end_ns = greatest(t.end_ns, excluded.end_ns),
      span_count = t.span_count + excluded.span_count,
      has_error = t.has_error OR excluded.has_error,
      has_ok = t.has_ok OR excluded.has_ok,
      has_tool_calls = t.has_tool_calls OR excluded.has_tool_calls,
      (root_start, root_span_id, root_name, root_service) = (
        SELECT CASE WHEN r THEN excluded.root_start ELSE t.root_start END,
          CASE WHEN r THEN excluded.root_span_id ELSE t.root_span_id END,
          CASE WHEN r THEN excluded.root_name ELSE t.root_name END,
          CASE WHEN r THEN excluded.root_service ELSE t.root_service END
        FROM (SELECT excluded.root_start IS NOT NULL AND (t.root_start IS NULL
          OR (excluded.root_start, excluded.root_span_id) < (t.root_start, t.root_span_id)) AS r) x),
      (first_span_id, first_name, first_service) = (
        SELECT CASE WHEN f THEN excluded.first_span_id ELSE t.first_span_id END,
          CASE WHEN f THEN excluded.first_name ELSE t.first_name END,
          CASE WHEN f THEN excluded.first_service ELSE t.first_service END
        FROM (SELECT (excluded.start_ns, excluded.first_span_id) < (t.start_ns, t.first_span_id) AS f) x),
      (session_start, session_id) = (
        SELECT CASE WHEN f THEN excluded.session_start ELSE t.session_start END,
          CASE WHEN f THEN excluded.session_id ELSE t.session_id END
        FROM (SELECT excluded.session_start IS NOT NULL AND (t.session_start IS NULL
          OR excluded.session_start < t.session_start) AS f) x),
      session_ids = trace_summaries_union(t.session_ids, excluded.session_ids),
      models = trace_summaries_union(t.models, excluded.models),
      providers = trace_summaries_union(t.providers, excluded.providers),
      services = trace_summaries_union(t.services, excluded.services),
      users = trace_summaries_union(t.users, excluded.users),
      environments = trace_summaries_union(t.environments, excluded.environments)
  $q$, source);
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION trace_summaries_merge(source text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE trace_summaries_merge_sql(source);
END
$$;
--> statement-breakpoint
-- The transition table is visible only to this function's own statements: it runs the merge itself.
CREATE FUNCTION spans_summarize() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE trace_summaries_merge_sql('new_spans');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER spans_trace_summary AFTER INSERT ON spans
  REFERENCING NEW TABLE AS new_spans FOR EACH STATEMENT EXECUTE FUNCTION spans_summarize();
--> statement-breakpoint
-- Spans stored before this migration, one daily partition at a time.
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'spans'::regclass LOOP
    PERFORM trace_summaries_merge(part::text);
  END LOOP;
END
$$;
