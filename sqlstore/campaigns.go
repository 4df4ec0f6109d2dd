package sqlstore

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/renkei/renkei"
)

// Campaigns (renkei.AssessmentStore): one template sent to the partners a
// filter or a list chooses, with an invitation mail per partner.
//
// Decisions:
//   - The filter is resolved here, in the transaction that creates the
//     assessments, to the organization's non-archived partners, and stored
//     with the campaign; a recurring campaign resolves it again each time.
//   - A listed partner that is archived is still sent to: staff named it.
//   - The invitation goes to the security contact, else the business
//     contact, in that contact's language; a partner without either
//     address gets its assessment but no mail, and is listed in
//     campaign_no_contact for staff to fix.
//   - CreateCampaign writes one audit entry for the campaign, with the
//     counts of assessments, prefilled answers, invitations (each with its
//     invite portal link, written in batches: see linkBatch) and partners
//     without an address.
//   - The mails of a campaign and their schedule: sqlstore/campaign_mail.go
//     and docs/campaigns.md; recurrence: sqlstore/campaign_recurrence.go.

// CreateCampaign implements renkei.AssessmentStore.
func (db *DB) CreateCampaign(ctx context.Context, c *renkei.Campaign, partnerIDs []string, mailer renkei.CampaignMailer) (renkei.CampaignResult, error) {
	var res renkei.CampaignResult
	if err := renkei.Require(ctx, c.OrgID, renkei.PermWrite); err != nil {
		return res, err
	}
	fields := c.Prepare()
	switch {
	case c.Filter != nil && len(partnerIDs) > 0:
		fields["partner_ids"] = "field.campaign_filter_or_list"
	case c.Filter == nil && len(partnerIDs) == 0:
		fields["partner_ids"] = "field.required"
	}
	templates, err := db.campaignTemplates(ctx, c.OrgID, c.TemplateSlug)
	if renkei.ErrorCode(err) == renkei.EINVALID {
		fields["template"] = "field.template"
	} else if err != nil {
		return res, err
	}
	if len(fields) > 0 {
		return res, renkei.Invalid(fields)
	}
	if a := renkei.ActorFrom(ctx); a != nil && a.UserID != "" {
		c.CreatedBy = a.UserID
	}
	c.ID, c.Status, c.CreatedAt = NewID(), "active", db.now()
	if c.NextRunOn == "" {
		c.ScheduleRecurrence()
	}
	err = db.write(ctx, func(t *tx) error {
		var err error
		res, err = t.createCampaign(ctx, c, partnerIDs, templates, mailer)
		return err
	})
	if err != nil {
		return renkei.CampaignResult{}, err
	}
	c.Mailed, c.NoContact = res.Mailed, res.NoContact
	return res, nil
}

// campaignTemplates resolves the campaign's template slug to the templates
// it sends, by slug: two for TemplateByRequiredLevel.
func (db *DB) campaignTemplates(ctx context.Context, orgID, slug string) (map[string]*renkei.Template, error) {
	slugs := []string{slug}
	if slug == renkei.TemplateByRequiredLevel {
		slugs = []string{"supply-chain-star3", "supply-chain-star4"}
	}
	out := map[string]*renkei.Template{}
	for _, s := range slugs {
		tpl, err := db.resolveTemplate(ctx, orgID, s)
		if err != nil {
			return nil, err
		}
		out[s] = tpl
	}
	return out, nil
}

// createCampaign does CreateCampaign's work inside its transaction.
func (t *tx) createCampaign(ctx context.Context, c *renkei.Campaign, partnerIDs []string, templates map[string]*renkei.Template, mailer renkei.CampaignMailer) (renkei.CampaignResult, error) {
	var res renkei.CampaignResult
	snaps := map[string]string{}
	for s, tpl := range templates {
		id, err := t.snapshot(ctx, tpl)
		if err != nil {
			return res, err
		}
		snaps[s] = id
	}
	var ids []string
	var partners map[string]campaignPartner
	var err error
	if c.Filter != nil {
		ids, partners, err = t.filterPartners(ctx, c.OrgID, *c.Filter)
		if err == nil && len(ids) == 0 {
			err = renkei.Invalid(map[string]string{"filter": "field.campaign_no_partners"})
		}
	} else {
		ids = uniq(partnerIDs)
		partners, err = t.campaignPartners(ctx, c.OrgID, ids)
	}
	if err != nil {
		return res, err
	}
	filter := ""
	if c.Filter != nil {
		b, _ := json.Marshal(c.Filter)
		filter = string(b)
	}
	rem, _ := json.Marshal(c.Reminders)
	if _, err := t.exec(ctx, `INSERT INTO campaigns (id, org_id, name, template_slug, due_date, reminders, status, created_by, created_at, filter, recurrence, next_run_on, previous_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.OrgID, c.Name, c.TemplateSlug, c.DueDate, string(rem), c.Status, c.CreatedBy, c.CreatedAt,
		filter, c.Recurrence, c.NextRunOn, c.PreviousID); err != nil {
		return res, err
	}
	known, err := t.companyAnswers(ctx, partners)
	if err != nil {
		return res, err
	}
	now := c.CreatedAt
	// Multi-row INSERTs on PostgreSQL (the shared batch helper): far
	// fewer round trips, which is what a 10,000-partner campaign needs.
	as := t.newBatch(`INSERT INTO assessments (id, org_id, campaign_id, partner_id, company_id, template_slug, template_version, snapshot_id, status, due_date, prefilled, created_at, updated_at) VALUES `, 13, "")
	defer as.close()
	ans := t.newBatch(`INSERT INTO assessment_answers (assessment_id, org_id, question_ref, answer, controls, answered_by, on_behalf, reused, review_status, updated_at) VALUES `, 10, "")
	defer ans.close()
	type prefillRow struct {
		assessmentID string
		prefilled
	}
	var answers []prefillRow
	sent := make([]sentAssessment, 0, len(ids))
	for _, pid := range ids {
		p := partners[pid]
		slug := renkei.CampaignTemplateFor(c.TemplateSlug, p.level)
		tpl := templates[slug]
		prefill := prefillFor(known[p.companyID], tpl)
		id := NewID()
		if err := as.add(ctx, id, c.OrgID, c.ID, pid, p.companyID, tpl.Slug, tpl.Version, snaps[slug],
			renkei.AssessmentSent, c.DueDate, len(prefill), now, now); err != nil {
			return res, err
		}
		for _, f := range prefill {
			answers = append(answers, prefillRow{id, f})
		}
		sent = append(sent, sentAssessment{id: id, partnerID: pid, partner: p, template: tpl.Title})
		res.Assessments++
		res.Prefilled += len(prefill)
	}
	// Every assessment before any answer or mail log row (foreign keys).
	if err := as.flush(ctx); err != nil {
		return res, err
	}
	for _, r := range answers {
		if err := ans.add(ctx, r.assessmentID, c.OrgID, r.ref, r.answer, r.controls, "", false, true, renkei.ReviewPending, now); err != nil {
			return res, err
		}
	}
	if err := ans.flush(ctx); err != nil {
		return res, err
	}
	if err := t.inviteAll(ctx, c, sent, mailer, &res); err != nil {
		return res, err
	}
	if _, err := t.exec(ctx, `UPDATE campaigns SET mailed = ?, no_contact = ? WHERE org_id = ? AND id = ?`, res.Mailed, res.NoContact, c.OrgID, c.ID); err != nil {
		return res, err
	}
	return res, t.audit(ctx, change{OrgID: c.OrgID, Action: "campaign.create", ObjectType: "campaign", ObjectID: c.ID,
		Detail: map[string]any{"template": c.TemplateSlug, "due_date": c.DueDate, "filter": c.Filter, "recurrence": c.Recurrence,
			"previous_id": c.PreviousID, "assessments": res.Assessments, "prefilled": res.Prefilled,
			"mailed": res.Mailed, "no_contact": res.NoContact}})
}

// sentAssessment is one assessment a campaign has just created, with what
// its invitation needs.
type sentAssessment struct {
	id, partnerID string
	partner       campaignPartner
	template      renkei.Bilingual
}

// campaignPartner is what a campaign reads of a partner.
type campaignPartner struct {
	companyID, level, name string
	contacts               renkei.Contacts
}

const campaignPartnerColumns = `id, company_id, required_level, name, contacts`

func scanCampaignPartner(rows interface{ Scan(...any) error }) (string, campaignPartner, error) {
	var id, contacts string
	var p campaignPartner
	if err := rows.Scan(&id, &p.companyID, &p.level, &p.name, &contacts); err != nil {
		return "", p, err
	}
	// An unreadable value only means no address to mail.
	p.contacts, _ = parseContacts(contacts)
	return id, p, nil
}

// campaignPartners reads the organization's partners named by ids; one
// that is not the organization's is an invalid partner_ids.
func (t *tx) campaignPartners(ctx context.Context, orgID string, ids []string) (map[string]campaignPartner, error) {
	out := make(map[string]campaignPartner, len(ids))
	for i := 0; i < len(ids); i += inChunk {
		chunk := ids[i:min(i+inChunk, len(ids))]
		args := []any{orgID}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := t.queryRows(ctx, `SELECT `+campaignPartnerColumns+` FROM partners WHERE org_id = ? AND id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			id, p, err := scanCampaignPartner(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(out) != len(ids) {
		return nil, renkei.Invalid(map[string]string{"partner_ids": "field.partner"})
	}
	return out, nil
}

// filterWhere is the SQL condition and arguments for f over the
// organization's non-archived partners (the rule of
// renkei.CampaignFilter.Matches).
func filterWhere(orgID string, f renkei.CampaignFilter) (string, []any) {
	conds, args := []string{"org_id = ?", "archived = ?"}, []any{orgID, false}
	for _, l := range []struct {
		col  string
		vals []string
	}{{"type", f.Types}, {"risk_tier", f.Tiers}, {"required_level", f.RequiredLevels}, {"industry", f.Industries}, {"department", f.Departments}} {
		if len(l.vals) == 0 {
			continue
		}
		conds = append(conds, l.col+" IN ("+placeholders(len(l.vals))+")")
		for _, v := range l.vals {
			args = append(args, v)
		}
	}
	return strings.Join(conds, " AND "), args
}

// filterPartners resolves f to the organization's non-archived partners,
// in ID order.
func (t *tx) filterPartners(ctx context.Context, orgID string, f renkei.CampaignFilter) ([]string, map[string]campaignPartner, error) {
	where, args := filterWhere(orgID, f)
	rows, err := t.queryRows(ctx, `SELECT `+campaignPartnerColumns+` FROM partners WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ids []string
	out := map[string]campaignPartner{}
	for rows.Next() {
		id, p, err := scanCampaignPartner(rows)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		out[id] = p
	}
	return ids, out, rows.Err()
}

// CountCampaignPartners implements renkei.AssessmentStore.
func (db *DB) CountCampaignPartners(ctx context.Context, orgID string, f renkei.CampaignFilter) (int, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return 0, err
	}
	if fields := f.Validate(); len(fields) > 0 {
		out := map[string]string{}
		for k, v := range fields {
			out["filter."+k] = v
		}
		return 0, renkei.Invalid(out)
	}
	where, args := filterWhere(orgID, f)
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM partners WHERE `+where, args...).Scan(&n)
	return n, err
}

// CampaignNoContact implements renkei.AssessmentStore.
func (db *DB) CampaignNoContact(ctx context.Context, orgID, id string) ([]string, error) {
	if _, err := db.Campaign(ctx, orgID, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT partner_id FROM campaign_no_contact WHERE org_id = ? AND campaign_id = ? ORDER BY partner_id`, orgID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var pid string
		if err := rows.Scan(&pid); err != nil {
			return nil, err
		}
		out = append(out, pid)
	}
	return out, rows.Err()
}

const campaignColumns = `id, org_id, name, template_slug, due_date, reminders, status, created_by, created_at, filter, recurrence, next_run_on, previous_id, mailed, no_contact`

func scanCampaign(r interface{ Scan(...any) error }) (*renkei.Campaign, error) {
	var c renkei.Campaign
	var rem, filter string
	if err := r.Scan(&c.ID, &c.OrgID, &c.Name, &c.TemplateSlug, &c.DueDate, &rem, &c.Status, &c.CreatedBy, &c.CreatedAt,
		&filter, &c.Recurrence, &c.NextRunOn, &c.PreviousID, &c.Mailed, &c.NoContact); err != nil {
		return nil, notFound(err, "campaign")
	}
	c.CreatedAt = c.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(rem), &c.Reminders); err != nil {
		return nil, err
	}
	if filter != "" {
		c.Filter = new(renkei.CampaignFilter)
		if err := json.Unmarshal([]byte(filter), c.Filter); err != nil {
			return nil, err
		}
		c.Filter.Validate() // stored valid; this only makes absent lists empty

	}
	return &c, nil
}

// Campaign implements renkei.AssessmentStore.
func (db *DB) Campaign(ctx context.Context, orgID, id string) (*renkei.Campaign, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, err
	}
	return scanCampaign(db.queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE org_id = ? AND id = ?`, orgID, id))
}

// ListCampaigns implements renkei.AssessmentStore: newest last, by ID.
func (db *DB) ListCampaigns(ctx context.Context, orgID string, page renkei.Page) ([]renkei.Campaign, string, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, "", err
	}
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.query(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`, orgID, after, page.Limit+1)
	if err != nil {
		return nil, "", err
	}
	items, err := collect(rows, scanCampaign)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, page.Limit, func(c *renkei.Campaign) string { return c.ID })
	return items, next, nil
}

// CampaignProgress implements renkei.AssessmentStore. Overdue counts the
// assessments not yet submitted whose due date has passed (in UTC).
func (db *DB) CampaignProgress(ctx context.Context, orgID, id string) (renkei.CampaignProgress, error) {
	p := renkei.CampaignProgress{ByStatus: map[string]int{}}
	c, err := db.Campaign(ctx, orgID, id)
	if err != nil {
		return p, err
	}
	rows, err := db.query(ctx, `SELECT status, COUNT(*) FROM assessments WHERE org_id = ? AND campaign_id = ? GROUP BY status`, orgID, c.ID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	answered := 0
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return p, err
		}
		p.ByStatus[s] = n
		p.Total += n
		switch s {
		case renkei.AssessmentSubmitted, renkei.AssessmentReturned, renkei.AssessmentReviewed:
			answered += n
		}
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	if c.DueDate < renkei.TokyoDay(db.now()) {
		p.Overdue = p.Total - answered
	}
	if p.Total > 0 {
		p.ResponseRate = answered * 100 / p.Total
	}
	return p, nil
}
