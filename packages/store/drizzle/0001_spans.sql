-- Custom migration: drizzle-kit cannot express PARTITION BY (see src/schema/spans.ts).
-- One partition per UTC day is created on demand by the writer; there is no default partition.
CREATE TABLE "spans" (
	"project_id" text NOT NULL,
	"trace_id" text NOT NULL,
	"span_id" text NOT NULL,
	"parent_span_id" text,
	"trace_state" text,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"start_time_unix_nano" bigint NOT NULL,
	"end_time_unix_nano" bigint NOT NULL,
	"status_code" text NOT NULL,
	"status" jsonb NOT NULL,
	"attributes" jsonb NOT NULL,
	"resource" jsonb NOT NULL,
	"scope" jsonb,
	"events" jsonb NOT NULL,
	"links" jsonb NOT NULL,
	"flags" integer,
	"dropped_attributes_count" integer,
	"dropped_events_count" integer,
	"dropped_links_count" integer,
	"source" text NOT NULL,
	"operation" text,
	"provider" text,
	"request_model" text,
	"response_model" text,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost" double precision,
	"session_id" text,
	CONSTRAINT "spans_pkey" PRIMARY KEY ("project_id","trace_id","span_id","start_time_unix_nano")
) PARTITION BY RANGE ("start_time_unix_nano");
--> statement-breakpoint
CREATE INDEX "spans_project_start_idx" ON "spans" USING btree ("project_id","start_time_unix_nano" DESC);
