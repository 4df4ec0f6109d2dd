-- +goose Up
-- Review and remediation (issue 4, points 6 and 8): closure evidence of a
-- remediation item, the log of remediation reminders, and each
-- organization's catalog of support programs. Written once for both
-- databases, as 00001 is.

-- closure_evidence says in words what shows the item is closed; the file
-- (closure_evidence_key, from 00004) is described by the evidence_* columns.
ALTER TABLE remediations ADD COLUMN closure_evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE remediations ADD COLUMN evidence_name TEXT NOT NULL DEFAULT '';
ALTER TABLE remediations ADD COLUMN evidence_content_type TEXT NOT NULL DEFAULT '';
ALTER TABLE remediations ADD COLUMN evidence_size BIGINT NOT NULL DEFAULT 0;
CREATE INDEX remediations_due ON remediations(status, due_date);

-- One row per reminder sent: reminder_key is remediation/kind/due date, so each is
-- sent once per due date however many workers run the job.
CREATE TABLE remediation_reminders (
    reminder_key    TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    remediation_id  TEXT NOT NULL REFERENCES remediations(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    mail_id         TEXT NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL
);

-- An organization's support programs. control_groups and severities are JSON
-- arrays; code names the seed a row came from ('' for the organization's
-- own). support_catalogs marks an organization whose catalog was seeded,
-- so that one emptied on purpose is not seeded again.
CREATE TABLE support_programs (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    code            TEXT NOT NULL DEFAULT '',
    name_ja         TEXT NOT NULL DEFAULT '',
    name_en         TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    description_ja  TEXT NOT NULL DEFAULT '',
    description_en  TEXT NOT NULL DEFAULT '',
    control_groups  TEXT NOT NULL DEFAULT '[]',
    severities      TEXT NOT NULL DEFAULT '[]',
    max_employees   INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_programs_org ON support_programs(org_id, id);

CREATE TABLE support_catalogs (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    seeded_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
-- Migrations are append-only; there is no way down.
