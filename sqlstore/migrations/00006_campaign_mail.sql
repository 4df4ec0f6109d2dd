-- +goose Up
-- Campaigns: partners chosen by filter, invitation and reminder mail,
-- recurrence. Written once for both databases, as 00001 is.

-- filter is the renkei.CampaignFilter JSON ('' when the partners were
-- listed); next_run_on the Tokyo date a recurring campaign creates its next
-- one; previous_id the campaign this one recurs from. Unique, so that the
-- job creating the next campaign creates it once however often it runs.
ALTER TABLE campaigns ADD COLUMN filter TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN recurrence TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN next_run_on TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN previous_id TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN mailed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN no_contact INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX campaigns_previous ON campaigns(previous_id) WHERE previous_id <> '';
CREATE INDEX campaigns_next_run ON campaigns(next_run_on) WHERE next_run_on <> '';

-- The partners of a campaign that had no contact address when it was
-- sent, listed for staff to fix.
CREATE TABLE campaign_no_contact (
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL,
    partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, partner_id)
);
CREATE INDEX campaign_no_contact_partner ON campaign_no_contact(partner_id);

-- Every campaign mail sent for an assessment, at most once per kind
-- (invite, reminder_N, overdue, escalation): the row is written in the
-- transaction that queues the mail, and the key refuses a second one.
CREATE TABLE assessment_mail_log (
    assessment_id  TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    org_id         TEXT NOT NULL,
    kind           TEXT NOT NULL,
    mail_id        TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assessment_id, kind)
);

-- The reminder job reads open assessments by due date.
CREATE INDEX assessments_open_due ON assessments(due_date, status);

-- +goose Down
-- Migrations are append-only; there is no way down.
