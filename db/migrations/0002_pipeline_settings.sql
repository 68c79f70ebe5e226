ALTER TABLE "auto_ci_settings" ADD COLUMN "build_changed_only" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "auto_ci_settings" ADD COLUMN "supersede_running" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "auto_ci_settings" ADD COLUMN "submodules" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "builds" ADD COLUMN "changed_paths" jsonb;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "deploy_port" integer;