DROP INDEX "builds_parent_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "builds_parent_subproject_uq" ON "builds" USING btree ("parent_build_id","subproject");