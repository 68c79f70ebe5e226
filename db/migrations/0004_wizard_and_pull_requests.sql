ALTER TABLE "auto_ci_settings" ADD COLUMN "build_draft_pull_requests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "auto_ci_settings" ADD COLUMN "generated_dockerfile" text;--> statement-breakpoint
ALTER TABLE "auto_ci_settings" ADD COLUMN "generated_dockerignore" text;--> statement-breakpoint
ALTER TABLE "builds" ADD COLUMN "pull_request_number" integer;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "base_image_prefix" text;