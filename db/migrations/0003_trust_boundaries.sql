CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"actor_user_id" uuid,
	"actor_name" text NOT NULL,
	"organization_id" uuid,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status_code" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_rejections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"organization_id" uuid,
	"event" text,
	"repository" text,
	"reason" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auto_ci_settings" ADD COLUMN "build_fork_merge_requests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "auto_ci_settings" ADD COLUMN "secret_build_args_enc" text;--> statement-breakpoint
ALTER TABLE "builds" ADD COLUMN "merge_request_iid" integer;--> statement-breakpoint
ALTER TABLE "webhook_rejections" ADD CONSTRAINT "webhook_rejections_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_org_created_idx" ON "audit_events" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_rejections_created_idx" ON "webhook_rejections" USING btree ("created_at");--> statement-breakpoint
UPDATE "users" SET "role" = 'org_admin' WHERE "role" = 'admin';--> statement-breakpoint
UPDATE "users" SET "role" = 'instance_admin' WHERE "id" = (SELECT "u"."id" FROM "users" "u" JOIN "organizations" "o" ON "o"."id" = "u"."organization_id" WHERE "u"."role" = 'org_admin' ORDER BY "o"."created_at", "u"."created_at" LIMIT 1);
