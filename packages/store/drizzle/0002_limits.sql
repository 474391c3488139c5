CREATE TABLE "usage_limits" (
	"subject_id" text PRIMARY KEY NOT NULL,
	"subject_kind" text NOT NULL,
	"org_id" text NOT NULL,
	"requests_per_minute" integer,
	"tokens_per_minute" integer,
	"usd_per_day" double precision,
	"usd_per_month" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_limits_subject_kind_check" CHECK ("usage_limits"."subject_kind" in ('key', 'project'))
);
--> statement-breakpoint
ALTER TABLE "usage_limits" ADD CONSTRAINT "usage_limits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_limits_org_id_idx" ON "usage_limits" USING btree ("org_id");