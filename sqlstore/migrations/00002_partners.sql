-- +goose Up
-- Partners: companies (shared identities), each organization's partners
-- (its private view of a company and the tie to it), risk policies and the
-- history of evaluations, requirement kinds, agreements and support given.
-- Written once for both databases, as 00001 is.

-- A company is one legal entity, whatever number of organizations it is a
-- partner of. The row holds only its identity: the Corporate Number (unique
-- when present), and the name key and country under which it was first
-- registered. What an organization says about the company (name, industry,
-- size…) is kept on that organization's partner row, so that no tenant can
-- change or see what another one recorded.
CREATE TABLE companies (
    id                TEXT PRIMARY KEY,
    corporate_number  TEXT NOT NULL DEFAULT '',
    name_key          TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL DEFAULT 'JP',
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX companies_corporate_number ON companies(corporate_number) WHERE corporate_number <> '';

-- A partner is an organization's tie to a company, with the organization's
-- own copy of the company's descriptive fields. risk_score, risk_tier and
-- required_level are the last evaluation under the organization's policy;
-- risk_reasons holds its factors and points ([{"factor","points"}]), the
-- words come from the rules when read. profile and contacts are JSON with
-- only the fields that are set. has_incident_contact mirrors the
-- contacts JSON for the filter; search is the folded text that the list's
-- query matches (name, kana, corporate number, external ID, folded);
-- archived mirrors archived_at so that it can lead the list's indexes.
CREATE TABLE partners (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    company_id            TEXT NOT NULL REFERENCES companies(id),
    external_id           TEXT NOT NULL DEFAULT '',
    type                  TEXT NOT NULL,
    department            TEXT NOT NULL DEFAULT '',
    name                  TEXT NOT NULL,
    name_kana             TEXT NOT NULL DEFAULT '',
    name_key              TEXT NOT NULL DEFAULT '',
    corporate_number      TEXT NOT NULL DEFAULT '',
    country               TEXT NOT NULL DEFAULT 'JP',
    industry              TEXT NOT NULL DEFAULT '',
    employees             INTEGER NOT NULL DEFAULT 0,
    revenue_band          TEXT NOT NULL DEFAULT '',
    listed                BOOLEAN NOT NULL DEFAULT FALSE,
    web_domain            TEXT NOT NULL DEFAULT '',
    mail_domain           TEXT NOT NULL DEFAULT '',
    profile               TEXT NOT NULL DEFAULT '{}',
    contacts              TEXT NOT NULL DEFAULT '{}',
    risk_score            INTEGER NOT NULL DEFAULT 0,
    risk_tier             TEXT NOT NULL DEFAULT 'low',
    risk_reasons          TEXT NOT NULL DEFAULT '[]',
    required_level        TEXT NOT NULL DEFAULT 'star3',
    has_incident_contact  BOOLEAN NOT NULL DEFAULT FALSE,
    notes                 TEXT NOT NULL DEFAULT '',
    search                TEXT NOT NULL DEFAULT '',
    archived              BOOLEAN NOT NULL DEFAULT FALSE,
    archived_at           TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
-- One tie per company per organization; company_id first so that the
-- index also serves the foreign key from companies.
CREATE UNIQUE INDEX partners_company ON partners(company_id, org_id);
CREATE UNIQUE INDEX partners_external_id ON partners(org_id, external_id) WHERE external_id <> '';
-- The list: one index per sort, and one per filter that leads into the
-- default sort (-risk), so that a filtered first page is a range scan. The
-- sort indexes end with the search text: a query is matched on the index
-- alone, reading a partner's row only when it matches.
CREATE INDEX partners_risk ON partners(org_id, archived, risk_score, id, search);
CREATE INDEX partners_name ON partners(org_id, archived, name_key, id, search);
CREATE INDEX partners_created ON partners(org_id, archived, created_at, id, search);
CREATE INDEX partners_type ON partners(org_id, archived, type, risk_score, id);
CREATE INDEX partners_tier ON partners(org_id, archived, risk_tier, risk_score, id);
CREATE INDEX partners_level ON partners(org_id, archived, required_level, risk_score, id);
CREATE INDEX partners_industry ON partners(org_id, archived, industry, risk_score, id);
CREATE INDEX partners_department ON partners(org_id, archived, department, risk_score, id);
CREATE INDEX partners_incident ON partners(org_id, archived, has_incident_contact, risk_score, id);

-- An organization's risk policy (renkei.RiskPolicy as JSON); absent means
-- the default policy.
CREATE TABLE risk_policies (
    org_id      TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    policy      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Every evaluation of a partner's risk that changed its inputs or result.
-- reasons as in partners.risk_reasons.
CREATE TABLE partner_risk_history (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    partner_id      TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    at              TIMESTAMPTZ NOT NULL,
    score           INTEGER NOT NULL,
    tier            TEXT NOT NULL,
    required_level  TEXT NOT NULL,
    reasons         TEXT NOT NULL DEFAULT '[]',
    actor_id        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX partner_risk_history_partner ON partner_risk_history(partner_id, org_id, at);

-- Requirement kinds: the vocabulary's (builtin, seeded per organization
-- on first use, position = their order in the vocabulary) and the
-- organization's own (position 1000).
CREATE TABLE requirement_kinds (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    name_ja     TEXT NOT NULL DEFAULT '',
    name_en     TEXT NOT NULL DEFAULT '',
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    position    INTEGER NOT NULL DEFAULT 1000,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, code)
);

-- Agreements: a partner agreed to a requirement, in a contract, for a time.
CREATE TABLE agreements (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    partner_id      TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    requirement_id  TEXT NOT NULL REFERENCES requirement_kinds(id),
    contract        TEXT NOT NULL DEFAULT '',
    valid_from      TIMESTAMPTZ,
    valid_until     TIMESTAMPTZ,
    document_key    TEXT NOT NULL DEFAULT '',
    document_name   TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
-- Covers "has the partner an agreement in force for the kind" (the
-- missing-agreement filter and the coverage view) without reading rows.
CREATE INDEX agreements_partner ON agreements(partner_id, requirement_id, org_id, valid_from, valid_until);
CREATE INDEX agreements_expiring ON agreements(org_id, valid_until, id);

-- Support given to partners (vocabulary list "support").
CREATE TABLE support_records (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    date         TIMESTAMPTZ NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    amount_yen   BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_records_partner ON support_records(partner_id, date);

-- +goose Down
-- Migrations are append-only; there is no way down.
