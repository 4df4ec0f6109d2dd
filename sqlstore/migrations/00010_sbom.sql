-- +goose Up
-- SBOMs and vulnerability data (issue 6). Products, SBOMs, components and
-- dependency edges belong to an organization (org_id on every row, so that
-- every query is scoped by one indexed condition). Advisories, their
-- aliases and packages, and the KEV catalog are global: shared by every
-- organization, imported by the operator. Findings are not stored: they are
-- computed when read, from the components and the advisories of the same
-- packages, so that every replica answers the same at once.

-- A product or deliverable of the organization itself (partner_id = '') or
-- of one of its partners, at one version.
CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    partner_id  TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, partner_id, name, version)
);

CREATE TABLE sboms (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id       TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    file_name        TEXT NOT NULL DEFAULT '',
    format           TEXT NOT NULL,
    spec_version     TEXT NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    component_count  INTEGER NOT NULL,
    uploaded_at      TIMESTAMPTZ NOT NULL,
    uploaded_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sboms_product ON sboms(org_id, product_id);

-- One row per component. eco_key is the base OSV ecosystem ("Debian", not
-- "Debian:12"), pkg_name the normalized package name and pkg_version the
-- normalized version, as matching reads them from the purl; all three are
-- '' when the purl names no OSV ecosystem or version.
CREATE TABLE sbom_components (
    sbom_id      TEXT NOT NULL REFERENCES sboms(id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    org_id       TEXT NOT NULL,
    bom_ref      TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    version      TEXT NOT NULL DEFAULT '',
    purl         TEXT NOT NULL DEFAULT '',
    ecosystem    TEXT NOT NULL DEFAULT '',
    eco_key      TEXT NOT NULL DEFAULT '',
    pkg_name     TEXT NOT NULL DEFAULT '',
    pkg_version  TEXT NOT NULL DEFAULT '',
    cpes         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sbom_id, idx)
);
CREATE INDEX sbom_components_package ON sbom_components(org_id, eco_key, pkg_name, pkg_version);

CREATE TABLE sbom_dependencies (
    sbom_id   TEXT NOT NULL REFERENCES sboms(id) ON DELETE CASCADE,
    from_ref  TEXT NOT NULL,
    to_ref    TEXT NOT NULL,
    kind      TEXT NOT NULL
);
CREATE INDEX sbom_dependencies_sbom ON sbom_dependencies(sbom_id);

-- Advisories from OSV and CSAF. record is the advisory as JSON (the core
-- type), from which matching is done and an index can be rebuilt. A
-- withdrawn advisory is kept (withdrawn set, no packages) so that an older
-- copy cannot bring it back.
CREATE TABLE advisories (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    modified     TIMESTAMPTZ NOT NULL,
    published    TIMESTAMPTZ,
    withdrawn    TIMESTAMPTZ,
    summary      TEXT NOT NULL DEFAULT '',
    severity     TEXT NOT NULL DEFAULT '',
    record       TEXT NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE advisory_aliases (
    alias        TEXT NOT NULL,
    advisory_id  TEXT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    PRIMARY KEY (alias, advisory_id)
);
CREATE INDEX advisory_aliases_advisory ON advisory_aliases(advisory_id);

-- The packages an advisory names, keyed as sbom_components are, so that
-- the advisories of a component's package are one indexed lookup.
CREATE TABLE advisory_packages (
    eco_key      TEXT NOT NULL,
    pkg_name     TEXT NOT NULL,
    advisory_id  TEXT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    PRIMARY KEY (eco_key, pkg_name, advisory_id)
);
CREATE INDEX advisory_packages_advisory ON advisory_packages(advisory_id);

-- CISA's Known Exploited Vulnerabilities catalog; an import replaces it.
CREATE TABLE kev_entries (
    cve_id          TEXT PRIMARY KEY,
    vendor_project  TEXT NOT NULL DEFAULT '',
    product         TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    date_added      TIMESTAMPTZ NOT NULL,
    due_date        TIMESTAMPTZ,
    ransomware      BOOLEAN NOT NULL DEFAULT FALSE,
    record          TEXT NOT NULL
);

-- What an organization (or its partner) states about a vulnerability in a
-- product or component (VEX).
CREATE TABLE vex_statements (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    partner_id        TEXT NOT NULL DEFAULT '',
    vulnerability     TEXT NOT NULL,
    product_id        TEXT NOT NULL DEFAULT '',
    purl              TEXT NOT NULL DEFAULT '',
    cpe               TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    justification     TEXT NOT NULL DEFAULT '',
    impact_statement  TEXT NOT NULL DEFAULT '',
    action_statement  TEXT NOT NULL DEFAULT '',
    stated_at         TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX vex_statements_org ON vex_statements(org_id, vulnerability);

-- +goose Down
-- Migrations are append-only; there is no way down.
