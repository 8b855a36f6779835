ALTER TABLE "complaints" ADD COLUMN "improvement" jsonb;
