-- +goose Up
-- Assessments: campaigns, assessments with their template snapshot, the
-- answers and their review, and the answers recorded per company and control
-- ("answer once, share many"). Written once for both databases, as 00001 is.

-- Organizations' own templates, one row per version; body is the template
-- JSON. Built-in templates are not stored.
CREATE TABLE org_templates (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, slug, version)
);

-- A template as an assessment was sent with it, stored once per exact body
-- (id = slug@version#sha256 of the JSON), so that 10,000 assessments of one
-- campaign share one row and a later version never changes a sent one.
CREATE TABLE template_snapshots (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- reminders is a JSON array of days before due_date.
CREATE TABLE campaigns (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name           TEXT NOT NULL DEFAULT '',
    template_slug  TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    reminders      TEXT NOT NULL DEFAULT '[]',
    status         TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaigns_org ON campaigns(org_id, id);

-- score is the renkei.Result JSON, '' until submitted. company_id is the
-- partner's company when it was sent (what a partner user is matched
-- against); no foreign key, so that a private company row the partners code
-- drops when a Corporate Number is corrected does not fail on it.
CREATE TABLE assessments (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    campaign_id       TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    partner_id        TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    company_id        TEXT NOT NULL,
    template_slug     TEXT NOT NULL,
    template_version  INTEGER NOT NULL,
    snapshot_id       TEXT NOT NULL REFERENCES template_snapshots(id),
    status            TEXT NOT NULL,
    due_date          TEXT NOT NULL,
    prefilled         INTEGER NOT NULL DEFAULT 0,
    score             TEXT NOT NULL DEFAULT '',
    submitted_at      TIMESTAMPTZ,
    reviewed_at       TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessments_org ON assessments(org_id, id);
CREATE INDEX assessments_campaign ON assessments(org_id, campaign_id, id);
CREATE INDEX assessments_partner ON assessments(org_id, partner_id, id);
CREATE INDEX assessments_company ON assessments(company_id, id);

-- One answer per question; answer is the renkei.Answer JSON, controls a JSON
-- array of control IDs. internal_note never leaves the organization.
CREATE TABLE assessment_answers (
    assessment_id   TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    org_id          TEXT NOT NULL,
    question_ref    TEXT NOT NULL,
    answer          TEXT NOT NULL,
    controls        TEXT NOT NULL DEFAULT '[]',
    answered_by     TEXT NOT NULL DEFAULT '',
    on_behalf       BOOLEAN NOT NULL DEFAULT FALSE,
    reused          BOOLEAN NOT NULL DEFAULT FALSE,
    review_status   TEXT NOT NULL DEFAULT 'pending',
    review_comment  TEXT NOT NULL DEFAULT '',
    internal_note   TEXT NOT NULL DEFAULT '',
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assessment_id, question_ref)
);

-- The company's latest submitted answer per control, across every
-- organization: read only to prefill a new assessment of the same company.
-- kind is the question kind the answer was given to.
CREATE TABLE company_control_answers (
    company_id            TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    control_id            TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    answer                TEXT NOT NULL,
    source_assessment_id  TEXT NOT NULL,
    answered_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (company_id, control_id)
);

-- Remediation items: the work to close one finding (question_ref) of an
-- assessment. closed_at is set when the status becomes done or accepted_risk.
CREATE TABLE remediations (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    assessment_id         TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    partner_id            TEXT NOT NULL,
    question_ref          TEXT NOT NULL,
    severity              TEXT NOT NULL,
    title                 TEXT NOT NULL DEFAULT '',
    owner                 TEXT NOT NULL DEFAULT '',
    due_date              TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,
    closure_evidence_key  TEXT NOT NULL DEFAULT '',
    notes                 TEXT NOT NULL DEFAULT '',
    closed_at             TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX remediations_org ON remediations(org_id, id);
CREATE INDEX remediations_assessment ON remediations(org_id, assessment_id, id);
CREATE INDEX remediations_partner ON remediations(org_id, partner_id, id);

-- +goose Down
-- Migrations are append-only; there is no way down.
