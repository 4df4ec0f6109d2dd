-- +goose Up
-- The partner portal: partner users tied to companies, partner sessions,
-- single-use portal links, evidence files and section handoffs. Written
-- once for both databases, as 00001 is.

-- A partner user is a row of users tied to one or more companies (which are
-- shared across organizations). Such a user holds no membership.
CREATE TABLE partner_users (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, company_id)
);
CREATE INDEX partner_users_company ON partner_users(company_id);

-- A partner session names the company it works for (org_id stays '').
ALTER TABLE sessions ADD COLUMN company_id TEXT NOT NULL DEFAULT '';

-- Links mailed to partners; only the SHA-256 of the secret is kept. org_id
-- and assessment_id are '' for a sign-in link. used_at is set once, when
-- the link is consumed.
CREATE TABLE portal_links (
    id             TEXT PRIMARY KEY,
    token_hash     TEXT NOT NULL UNIQUE,
    org_id         TEXT NOT NULL DEFAULT '',
    company_id     TEXT NOT NULL,
    assessment_id  TEXT NOT NULL DEFAULT '',
    section_ref    TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ
);
CREATE INDEX portal_links_assessment ON portal_links(org_id, assessment_id);

-- Evidence files of an assessment's answers. The bytes are in the file
-- store under file_key, which the application makes; name is the user's
-- file name, kept only to show and to download under.
CREATE TABLE assessment_evidence (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL,
    assessment_id  TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    question_ref   TEXT NOT NULL,
    file_key       TEXT NOT NULL,
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    uploaded_by    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessment_evidence_assessment ON assessment_evidence(org_id, assessment_id, question_ref);

-- Who handed which section of an assessment to whom, shown on the page.
CREATE TABLE section_handoffs (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL,
    assessment_id  TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    section_ref    TEXT NOT NULL,
    from_user_id   TEXT NOT NULL,
    from_email     TEXT NOT NULL,
    to_email       TEXT NOT NULL,
    link_id        TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX section_handoffs_assessment ON section_handoffs(org_id, assessment_id, id);

-- +goose Down
-- Migrations are append-only; there is no way down.
