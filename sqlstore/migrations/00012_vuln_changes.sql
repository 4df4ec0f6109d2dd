-- +goose Up
-- The changes that decide findings, in commit order: a product's SBOMs
-- replaced ('product', the product's ID), an advisory added, replaced or
-- withdrawn ('advisory', its ID), the KEV catalog replaced ('kev'). A
-- process that keeps the portfolio's index in memory reads the rows after
-- the last it applied before each answer, so that every replica answers as
-- the database stands, whichever replica took the change. seq is given
-- under the same lock as the audit chain, so a later seq never commits
-- before an earlier one.
CREATE TABLE vuln_changes (
    seq   BIGINT PRIMARY KEY,
    kind  TEXT NOT NULL,
    ref   TEXT NOT NULL DEFAULT '',
    at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
-- Migrations are append-only; there is no way down.
