-- +goose Up
-- Answer once, share many: an organization's request to a partner for an
-- assessment, and the company's grant (or refusal) of one of its submitted
-- assessments, from whichever organization sent it, until an expiry date.
-- Written once for both databases, as 00001 is.

-- org_id is the asking organization and partner_id its partner; company_id
-- is that partner's company when asked, whose users decide. assessment_id,
-- expires_on (YYYY-MM-DD, shared through that day in Tokyo), decided_by and
-- decided_at are set when the company decides; revoked_at when it revokes.
-- status is requested, granted, declined or revoked ("expired" is computed).
CREATE TABLE assessment_shares (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    partner_id     TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    company_id     TEXT NOT NULL,
    message        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    assessment_id  TEXT REFERENCES assessments(id) ON DELETE CASCADE,
    expires_on     TEXT NOT NULL DEFAULT '',
    requested_by   TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    decided_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ
);
CREATE INDEX assessment_shares_org ON assessment_shares(org_id, id);
CREATE INDEX assessment_shares_company ON assessment_shares(company_id, id);

-- +goose Down
-- Migrations are append-only; there is no way down.
