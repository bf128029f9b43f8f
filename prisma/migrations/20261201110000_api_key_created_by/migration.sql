-- Which key created a key (null: made with `npm run keys`, which has database access, not a key).
ALTER TABLE "api_keys" ADD COLUMN "created_by" UUID;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "api_keys"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
