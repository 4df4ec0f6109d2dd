package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// RunRecurringCampaigns is the recurrence job: every recurring campaign
// whose next run date (Tokyo) has come and that has no next campaign yet
// creates it (renkei.Campaign.NextCampaign) with its invitations. The
// partners are chosen again by the campaign's filter or, for a listed
// campaign, are the same partners. The unique campaigns.previous_id makes
// the job idempotent: a second run, or a second replica racing the first,
// creates nothing more. It returns how many campaigns it created; a
// campaign that cannot be created (its template gone, no partner matches)
// is skipped, logged in the audit log, and tried again on the next run.
func (db *DB) RunRecurringCampaigns(ctx context.Context, mailer renkei.CampaignMailer) (int, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return 0, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	today := renkei.TokyoDay(db.now())
	rows, err := db.query(ctx, `SELECT `+campaignColumns+` FROM campaigns c
		WHERE next_run_on <> '' AND next_run_on <= ?
		AND NOT EXISTS (SELECT 1 FROM campaigns n WHERE n.previous_id = c.id)
		ORDER BY id`, today)
	if err != nil {
		return 0, err
	}
	due, err := collect(rows, scanCampaign)
	if err != nil {
		return 0, err
	}
	created := 0
	for i := range due {
		prev := &due[i]
		next := prev.NextCampaign()
		if next == nil {
			continue
		}
		var ids []string
		if next.Filter == nil {
			if ids, err = db.campaignPartnerIDs(ctx, prev.OrgID, prev.ID); err != nil {
				return created, err
			}
		}
		_, err := db.CreateCampaign(ctx, next, ids, mailer)
		switch {
		case err == nil:
			created++
		case renkei.ErrorCode(err) == renkei.ECONFLICT:
			// Another run created it first.
		case renkei.ErrorCode(err) == renkei.EINVALID:
			if aerr := db.write(ctx, func(t *tx) error {
				return t.audit(ctx, change{OrgID: prev.OrgID, Action: "campaign.recur_failed", ObjectType: "campaign", ObjectID: prev.ID,
					Detail: map[string]any{"error": err.Error()}})
			}); aerr != nil {
				return created, aerr
			}
		default:
			return created, err
		}
	}
	return created, nil
}

// campaignPartnerIDs lists the partners a listed campaign was sent to
// (with an assessment) that are not archived since.
func (db *DB) campaignPartnerIDs(ctx context.Context, orgID, campaignID string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT a.partner_id FROM assessments a JOIN partners p ON p.org_id = a.org_id AND p.id = a.partner_id
		WHERE a.org_id = ? AND a.campaign_id = ? AND p.archived = ? ORDER BY a.partner_id`, orgID, campaignID, false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
