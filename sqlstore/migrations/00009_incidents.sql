-- +goose Up
-- Incidents: cases reported by partners or recorded by staff, their duties
-- with deadlines, tasks, timeline, messages and the disclosure decision;
-- and each organization's incident settings (rules and policy, versioned).

-- The organization's settings: the facts about itself the duty rules need.
CREATE TABLE incident_settings (
    org_id      TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    industry    TEXT NOT NULL DEFAULT '',
    flags       TEXT NOT NULL DEFAULT '[]',
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Duty rules and disclosure policies are versioned data: a change is a
-- new row; duties and recommendations name the version they came from.
CREATE TABLE obligation_rule_sets (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    rules       TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, version)
);

CREATE TABLE disclosure_policies (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    policy      TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, version)
);

-- company_id is the partner's company, kept on the case so that a partner
-- user's view is one indexed condition. service names a compromised shared
-- service; service_key is its normalized form, to find other partners'
-- cases about the same service.
CREATE TABLE incidents (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    ref                   TEXT NOT NULL,
    partner_id            TEXT NOT NULL DEFAULT '',
    company_id            TEXT NOT NULL DEFAULT '',
    type                  TEXT NOT NULL,
    title                 TEXT NOT NULL DEFAULT '',
    description           TEXT NOT NULL DEFAULT '',
    occurred_at           TIMESTAMPTZ,
    discovered_at         TIMESTAMPTZ,
    aware_at              TIMESTAMPTZ NOT NULL,
    systems               TEXT NOT NULL DEFAULT '',
    service               TEXT NOT NULL DEFAULT '',
    service_key           TEXT NOT NULL DEFAULT '',
    affects_data          BOOLEAN NOT NULL DEFAULT FALSE,
    affects_network       BOOLEAN NOT NULL DEFAULT FALSE,
    affects_products      BOOLEAN NOT NULL DEFAULT FALSE,
    persons               INTEGER NOT NULL DEFAULT 0,
    pd_sensitive          BOOLEAN NOT NULL DEFAULT FALSE,
    pd_financial          BOOLEAN NOT NULL DEFAULT FALSE,
    pd_unauthorized       BOOLEAN NOT NULL DEFAULT FALSE,
    pd_confirmed          BOOLEAN NOT NULL DEFAULT FALSE,
    containment           TEXT NOT NULL DEFAULT '',
    service_impact        TEXT NOT NULL DEFAULT '',
    secondary_harm_risk   BOOLEAN NOT NULL DEFAULT FALSE,
    severity              TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,
    owner                 TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL,
    contact               TEXT NOT NULL DEFAULT '{}',
    root_cause            TEXT NOT NULL DEFAULT '',
    prevention            TEXT NOT NULL DEFAULT '',
    triaged_at            TIMESTAMPTZ,
    closed_at             TIMESTAMPTZ,
    created_by            TEXT NOT NULL DEFAULT '',
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, ref)
);
CREATE INDEX incidents_org ON incidents(org_id, id);
CREATE INDEX incidents_status ON incidents(org_id, status, id);
CREATE INDEX incidents_partner ON incidents(org_id, partner_id, id);
CREATE INDEX incidents_company ON incidents(company_id, id);
CREATE INDEX incidents_service ON incidents(org_id, service_key);

-- One row per duty of a case; evaluated again when the facts change,
-- keeping what people marked (done, waived).
CREATE TABLE incident_obligations (
    incident_id   TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL,
    code          TEXT NOT NULL,
    title         TEXT NOT NULL,
    basis         TEXT NOT NULL,
    reasons       TEXT NOT NULL DEFAULT '[]',
    due_at        TIMESTAMPTZ,
    status        TEXT NOT NULL,
    done_at       TIMESTAMPTZ,
    note          TEXT NOT NULL DEFAULT '',
    rule_version  INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (incident_id, code)
);
CREATE INDEX incident_obligations_due ON incident_obligations(org_id, status, due_at);

CREATE TABLE incident_tasks (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    owner        TEXT NOT NULL DEFAULT '',
    due_date     TEXT NOT NULL DEFAULT '',
    done         BOOLEAN NOT NULL DEFAULT FALSE,
    done_at      TIMESTAMPTZ,
    -- A task for the partner is a remediation item it is asked to carry
    -- out: it sees it in the portal, marks it done and says how.
    for_partner  BOOLEAN NOT NULL DEFAULT FALSE,
    partner_note TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, id);

CREATE TABLE incident_events (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    actor        TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events(incident_id, id);

CREATE TABLE incident_messages (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    author       TEXT NOT NULL DEFAULT '',
    from_party   TEXT NOT NULL,
    body         TEXT NOT NULL,
    shared       BOOLEAN NOT NULL DEFAULT FALSE,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_messages_incident ON incident_messages(incident_id, id);

-- Files on a case (logs, screenshots, reports). The bytes are in the file
-- store under file_key, a key the application makes; shared files are
-- seen by the reporting partner.
CREATE TABLE incident_files (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    incident_id   TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    file_key      TEXT NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    shared        BOOLEAN NOT NULL DEFAULT FALSE,
    from_party    TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL DEFAULT '',
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_files_incident ON incident_files(incident_id, id);

CREATE TABLE incident_decisions (
    incident_id     TEXT PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    org_id          TEXT NOT NULL,
    disclose        BOOLEAN NOT NULL,
    reason          TEXT NOT NULL,
    recommendation  TEXT NOT NULL,
    decided_by      TEXT NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL
);

-- The log of duty reminders sent: one row per reminder (duty, deadline,
-- kind, recipient), so that no reminder goes twice.
CREATE TABLE incident_duty_reminders (
    reminder_key  TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    incident_id   TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    to_addr       TEXT NOT NULL,
    mail_id       TEXT NOT NULL DEFAULT '',
    sent_at       TIMESTAMPTZ NOT NULL
);

-- Each organization's report link: a secret URL anyone can report through
-- without an account, so that every partner has a channel. Only a hash of
-- the secret is kept; rotating replaces it.
CREATE TABLE report_links (
    org_id      TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

-- An incident-handling agreement may set the partner's time to report an
-- incident to us, in hours from its discovery (0: not set).
ALTER TABLE agreements ADD COLUMN reporting_hours INTEGER NOT NULL DEFAULT 0;

-- +goose Down
-- Migrations are append-only; there is no way down.
