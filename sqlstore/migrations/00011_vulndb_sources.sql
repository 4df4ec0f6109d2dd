-- +goose Up
-- The sources of the scheduled vulnerability-data fetch (renkei serve
-- --vulndb-url): what each server said last time, so that the next fetch
-- is a conditional GET, and how the last attempt went. Global, like the
-- advisories.
CREATE TABLE vulndb_sources (
    url            TEXT PRIMARY KEY,
    etag           TEXT NOT NULL DEFAULT '',
    last_modified  TEXT NOT NULL DEFAULT '',
    fetched_at     TIMESTAMPTZ,
    last_error     TEXT NOT NULL DEFAULT ''
);

-- +goose Down
-- Migrations are append-only; there is no way down.
