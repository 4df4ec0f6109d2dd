-- +goose Up
-- The signed document of an agreement: beside its key in the file store
-- and its file name (00002), the content type it was accepted as and its
-- size. The database is the source of truth for these; the file store
-- keeps only the bytes (a directory store keeps no metadata at all).
ALTER TABLE agreements ADD COLUMN document_content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE agreements ADD COLUMN document_size BIGINT NOT NULL DEFAULT 0;

-- +goose Down
-- Migrations are append-only; there is no way down.
