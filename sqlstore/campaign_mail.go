package sqlstore

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/renkei/renkei"
)

// Campaign mail: the invitations CreateCampaign queues and the reminders,
// overdue notices and escalations of SendCampaignMail, each logged in
// assessment_mail_log in the transaction that queues it.

// outbox queues many mails in one transaction with multi-row INSERTs: the
// rows queueMail writes, one mail and its send job each, batched because a
// campaign queues thousands.
type outbox struct {
	mails, jobs *batch
}

func (t *tx) newOutbox() *outbox {
	return &outbox{
		mails: t.newBatch(`INSERT INTO mail_outbox (id, org_id, to_addr, subject, body_text, body_html, template, locale, message_id, created_at) VALUES `, 10, ""),
		jobs: t.newBatch(`INSERT INTO jobs (id, kind, job_key, payload, state, attempts, max_tries, run_at, created_at) VALUES `, 9,
			` ON CONFLICT (kind, job_key) DO NOTHING`),
	}
}

// add queues m; its ID is kept when set (a log row may name it first).
func (o *outbox) add(ctx context.Context, m *renkei.Mail) error {
	now := o.mails.t.db.now()
	if m.ID == "" {
		m.ID = NewID()
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now
	}
	if m.MessageID == "" {
		m.MessageID = "<" + m.ID + "@renkei>"
	}
	if err := o.mails.add(ctx, m.ID, m.OrgID, m.To, m.Subject, m.Text, m.HTML, m.Template, m.Locale, m.MessageID, utc(m.CreatedAt)); err != nil {
		return err
	}
	return o.jobs.add(ctx, NewID(), renkei.MailKindSend, m.ID, `{"mail_id":"`+m.ID+`"}`, renkei.JobAvailable, 0, 10, now, now)
}

// flush writes the mails before their jobs, so that a job never names a
// mail not yet written.
func (o *outbox) flush(ctx context.Context) error {
	if err := o.mails.flush(ctx); err != nil {
		return err
	}
	return o.jobs.flush(ctx)
}

func (o *outbox) close() {
	o.mails.close()
	o.jobs.close()
}

// linkBatch issues many portal links in one transaction: the rows
// issuePortalLink writes, batched, and no audit entry per link: the
// caller's one audit entry counts them. A 10,000-partner campaign would
// otherwise spend most of its time appending 10,000 entries to the audit
// chain, one locked round trip after another.
type linkBatch struct {
	rows *batch
	n    int
}

func (t *tx) newLinkBatch() *linkBatch {
	return &linkBatch{rows: t.newBatch(`INSERT INTO portal_links (id, token_hash, org_id, company_id, assessment_id, section_ref, email, purpose, created_by, created_at, expires_at) VALUES `, 11, "")}
}

// add prepares l as issuePortalLink does and returns its secret.
func (lb *linkBatch) add(ctx context.Context, l *renkei.PortalLink) (string, error) {
	if l.CreatedBy == "" {
		if a := renkei.ActorFrom(ctx); a != nil {
			l.CreatedBy = a.UserID
		}
	}
	secret, err := l.Prepare(lb.rows.t.db.now())
	if err != nil {
		return "", err
	}
	l.ID, l.UsedAt = NewID(), nil
	lb.n++
	return secret, lb.rows.add(ctx, l.ID, renkei.HashSecret(secret), l.OrgID, l.CompanyID, l.AssessmentID, l.SectionRef, l.Email,
		l.Purpose, l.CreatedBy, utc(l.CreatedAt), utc(l.ExpiresAt))
}

func (lb *linkBatch) flush(ctx context.Context) error { return lb.rows.flush(ctx) }
func (lb *linkBatch) close()                          { lb.rows.close() }

// renderCampaignMail puts cm into words and addresses it.
func renderCampaignMail(mailer renkei.CampaignMailer, orgID string, cm *renkei.CampaignMail) (*renkei.Mail, error) {
	m, err := mailer.RenderCampaignMail(cm)
	if err != nil {
		return nil, err
	}
	m.OrgID, m.To, m.Template, m.Locale = orgID, cm.To, "assessment_"+cm.Kind, cm.Locale
	return m, nil
}

// asker is who a campaign's mail says asks: the organization and the
// person who started the campaign.
type asker struct{ org, person string }

func (t *tx) askerOf(ctx context.Context, orgID, userID string) (asker, error) {
	var a asker
	if err := t.queryRow(ctx, `SELECT name FROM organizations WHERE id = ?`, orgID).Scan(&a.org); err != nil {
		return a, notFound(err, "organization")
	}
	if userID != "" {
		// A creator since removed leaves the person unnamed.
		_ = t.queryRow(ctx, `SELECT CASE WHEN name <> '' THEN name ELSE email END FROM users WHERE id = ?`, userID).Scan(&a.person)
	}
	return a, nil
}

// inviteAll queues the invitation of each sent assessment to its partner's
// contact, with an invite portal link (audited with the campaign: the
// campaign.create entry counts them as mailed), and lists the partners
// without an address in campaign_no_contact. A nil mailer queues no mail.
func (t *tx) inviteAll(ctx context.Context, c *renkei.Campaign, sent []sentAssessment, mailer renkei.CampaignMailer, res *renkei.CampaignResult) error {
	noContact := t.newBatch(`INSERT INTO campaign_no_contact (campaign_id, org_id, partner_id) VALUES `, 3, "")
	defer noContact.close()
	logs := t.newBatch(`INSERT INTO assessment_mail_log (assessment_id, org_id, kind, mail_id, created_at) VALUES `, 5, "")
	defer logs.close()
	out := t.newOutbox()
	defer out.close()
	links := t.newLinkBatch()
	defer links.close()
	var who asker
	if mailer != nil {
		var err error
		if who, err = t.askerOf(ctx, c.OrgID, c.CreatedBy); err != nil {
			return err
		}
	}
	for _, s := range sent {
		ct, ok := s.partner.contacts.AssessmentContact()
		if ok {
			ct.Email, ok = renkei.NormalizeEmail(ct.Email)
		}
		if !ok {
			res.NoContact++
			res.NoContactPartners = append(res.NoContactPartners, s.partnerID)
			if err := noContact.add(ctx, c.ID, c.OrgID, s.partnerID); err != nil {
				return err
			}
			continue
		}
		if mailer == nil {
			continue
		}
		link := &renkei.PortalLink{OrgID: c.OrgID, CompanyID: s.partner.companyID, AssessmentID: s.id, Email: ct.Email, Purpose: renkei.PortalInvite}
		secret, err := links.add(ctx, link)
		if err != nil {
			return err
		}
		m, err := renderCampaignMail(mailer, c.OrgID, &renkei.CampaignMail{
			Kind: renkei.CampaignMailInvite, Locale: ct.Locale, To: ct.Email, OrgName: who.org, AskedBy: who.person,
			Campaign: c.Name, Template: s.template, Partner: s.partner.name, DueDate: c.DueDate,
			LinkPath: renkei.PortalLinkPath(secret), LinkExpiresAt: link.ExpiresAt, CampaignID: c.ID, AssessmentID: s.id,
		})
		if err != nil {
			return err
		}
		if err := out.add(ctx, m); err != nil {
			return err
		}
		if err := logs.add(ctx, s.id, c.OrgID, renkei.CampaignMailInvite, m.ID, c.CreatedAt); err != nil {
			return err
		}
		res.Mailed++
	}
	if err := noContact.flush(ctx); err != nil {
		return err
	}
	if err := links.flush(ctx); err != nil {
		return err
	}
	if err := out.flush(ctx); err != nil {
		return err
	}
	return logs.flush(ctx)
}

// campaignMailBatchSize is how many open assessments one transaction of
// SendCampaignMail looks at (a variable for tests).
var campaignMailBatchSize = 500

// SendCampaignMail is the campaign mail job: for every open assessment
// (sent, opened, in progress, returned) of every organization it queues
// the mails renkei.CampaignMailsDue says are due today (Tokyo) and its log
// has not seen: a reminder or overdue notice to the partner's contact with
// a fresh sign-in link, and the escalation to the owning department. Each
// mail's log row is written in the transaction that queues it, and the
// (assessment, kind) key makes a second run, or a second replica, queue
// nothing. Partner mails go in batches of campaignMailBatchSize
// assessments, each in its own transaction; the escalations, gathered
// over every batch, go one transaction and one mail per recipient for each
// campaign and owning department. Every row's own organization scopes
// what it writes.
func (db *DB) SendCampaignMail(ctx context.Context, mailer renkei.CampaignMailer) (renkei.CampaignMailRun, error) {
	var run renkei.CampaignMailRun
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return run, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	now := db.now()
	today := renkei.TokyoDay(now)
	// No reminder is more than 365 days before its due date.
	horizon := now.In(renkei.Tokyo).AddDate(0, 0, 366).Format(time.DateOnly)
	r := &campaignMailRun{mailer: mailer, counts: &run, titles: map[string]renkei.Bilingual{}, askers: map[[2]string]asker{},
		escalations: map[[3]string][]*openAssessment{}}
	for after := ""; ; {
		var last string
		err := db.write(ctx, func(t *tx) error {
			var err error
			last, err = r.partnerBatch(ctx, t, today, horizon, after)
			return err
		})
		if err != nil {
			return run, err
		}
		if last == "" {
			break
		}
		after = last
	}
	for _, k := range r.escalationOrder {
		if err := db.write(ctx, func(t *tx) error { return r.escalate(ctx, t, r.escalations[k]) }); err != nil {
			return run, err
		}
	}
	return run, nil
}

// campaignMailRun is one run of SendCampaignMail across its transactions:
// the mailer, the counts, what every batch would read again, and the
// escalations found, by organization, campaign and owning department in
// the order found.
type campaignMailRun struct {
	mailer          renkei.CampaignMailer
	counts          *renkei.CampaignMailRun
	titles          map[string]renkei.Bilingual // snapshot → template title
	askers          map[[2]string]asker         // organization, person → asker
	escalations     map[[3]string][]*openAssessment
	escalationOrder [][3]string
}

// openAssessment is what the campaign mail job reads of an open assessment.
type openAssessment struct {
	id, orgID, campaignID, companyID, due, sentOn, snapshotID string
	campaignName, createdBy                                   string
	reminders                                                 []int
	partnerName, department                                   string
	contacts                                                  renkei.Contacts
	mails                                                     []renkei.ScheduledMail
}

// partnerBatch queues the partner mails due for the open assessments after
// the ID after (due by horizon), gathers their escalations, and returns
// the last ID it read ("" at the end).
func (r *campaignMailRun) partnerBatch(ctx context.Context, t *tx, today, horizon, after string) (string, error) {
	open, last, err := t.openAssessments(ctx, today, horizon, after)
	if err != nil || len(open) == 0 {
		return "", err
	}
	var due []*openAssessment
	for _, a := range open {
		if len(a.mails) > 0 {
			due = append(due, a)
		}
	}
	sent, err := t.mailLog(ctx, due)
	if err != nil {
		return "", err
	}
	out := t.newOutbox()
	defer out.close()
	links := t.newLinkBatch()
	defer links.close()
	perOrg := map[string]*renkei.CampaignMailRun{} // for the audit
	for _, a := range due {
		for _, m := range a.mails {
			switch {
			case sent[a.id+"/"+m.Key]:
			case m.Kind == renkei.CampaignMailEscalation:
				k := [3]string{a.orgID, a.campaignID, a.department}
				if r.escalations[k] == nil {
					r.escalationOrder = append(r.escalationOrder, k)
				}
				r.escalations[k] = append(r.escalations[k], a)
			default:
				if perOrg[a.orgID] == nil {
					perOrg[a.orgID] = &renkei.CampaignMailRun{}
				}
				if err := r.remindPartner(ctx, t, out, links, a, m, perOrg[a.orgID]); err != nil {
					return "", err
				}
			}
		}
	}
	if err := links.flush(ctx); err != nil {
		return "", err
	}
	if err := out.flush(ctx); err != nil {
		return "", err
	}
	// One audit entry per organization for the batch's mails and their
	// sign-in links, rather than one per link.
	for _, orgID := range slices.Sorted(maps.Keys(perOrg)) {
		n := perOrg[orgID]
		if n.Reminders+n.Overdue == 0 {
			continue
		}
		if err := t.audit(ctx, change{OrgID: orgID, Action: "campaign.remind", ObjectType: "organization", ObjectID: orgID,
			Detail: map[string]any{"reminders": n.Reminders, "overdue": n.Overdue}}); err != nil {
			return "", err
		}
	}
	if len(open) < campaignMailBatchSize {
		return "", nil
	}
	return last, nil
}

// openAssessments reads a batch of open assessments with their campaign
// and partner, and the mails the schedule has due for each today. An
// archived partner is no longer asked.
func (t *tx) openAssessments(ctx context.Context, today, horizon, after string) ([]*openAssessment, string, error) {
	rows, err := t.queryRows(ctx, `SELECT a.id, a.org_id, a.campaign_id, a.company_id, a.due_date, a.created_at, a.snapshot_id,
			c.name, c.reminders, c.created_by, p.name, p.department, p.contacts
		FROM assessments a
		JOIN campaigns c ON c.org_id = a.org_id AND c.id = a.campaign_id
		JOIN partners p ON p.org_id = a.org_id AND p.id = a.partner_id
		WHERE a.status IN ('sent', 'opened', 'in_progress', 'returned') AND a.due_date <= ? AND a.id > ? AND p.archived = ?
		ORDER BY a.id LIMIT ?`, horizon, after, false, campaignMailBatchSize)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []*openAssessment
	last := ""
	for rows.Next() {
		var a openAssessment
		var created time.Time
		var rem, contacts string
		if err := rows.Scan(&a.id, &a.orgID, &a.campaignID, &a.companyID, &a.due, &created, &a.snapshotID,
			&a.campaignName, &rem, &a.createdBy, &a.partnerName, &a.department, &contacts); err != nil {
			return nil, "", err
		}
		if err := json.Unmarshal([]byte(rem), &a.reminders); err != nil {
			return nil, "", err
		}
		a.contacts, _ = parseContacts(contacts) // unreadable: no address
		a.sentOn = renkei.TokyoDay(created)
		a.mails = renkei.CampaignMailsDue(a.sentOn, a.due, today, a.reminders)
		out = append(out, &a)
		last = a.id
	}
	return out, last, rows.Err()
}

// mailLog returns the logged mails of the assessments as "id/kind".
func (t *tx) mailLog(ctx context.Context, as []*openAssessment) (map[string]bool, error) {
	out := map[string]bool{}
	for i := 0; i < len(as); i += inChunk {
		chunk := as[i:min(i+inChunk, len(as))]
		args := make([]any, len(chunk))
		for j, a := range chunk {
			args[j] = a.id
		}
		rows, err := t.queryRows(ctx, `SELECT assessment_id, kind FROM assessment_mail_log WHERE assessment_id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, kind string
			if err := rows.Scan(&id, &kind); err != nil {
				rows.Close()
				return nil, err
			}
			out[id+"/"+kind] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// logMail records that the mail key of the assessment is sent, naming
// mailID; false when it was already (another run got there first).
func (t *tx) logMail(ctx context.Context, a *openAssessment, key, mailID string) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO assessment_mail_log (assessment_id, org_id, kind, mail_id, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (assessment_id, kind) DO NOTHING`, a.id, a.orgID, key, mailID, t.db.now())
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// templateTitle is the title of the template snapshot, read once per run.
func (r *campaignMailRun) templateTitle(ctx context.Context, t *tx, snapshotID string) (renkei.Bilingual, error) {
	if b, ok := r.titles[snapshotID]; ok {
		return b, nil
	}
	var body string
	if err := t.queryRow(ctx, `SELECT body FROM template_snapshots WHERE id = ?`, snapshotID).Scan(&body); err != nil {
		return renkei.Bilingual{}, err
	}
	var tpl struct {
		Title renkei.Bilingual `json:"title"`
	}
	if err := json.Unmarshal([]byte(body), &tpl); err != nil {
		return renkei.Bilingual{}, err
	}
	r.titles[snapshotID] = tpl.Title
	return tpl.Title, nil
}

// asker is askerOf, read once per run for each organization and person.
func (r *campaignMailRun) asker(ctx context.Context, t *tx, orgID, userID string) (asker, error) {
	k := [2]string{orgID, userID}
	if a, ok := r.askers[k]; ok {
		return a, nil
	}
	a, err := t.askerOf(ctx, orgID, userID)
	if err == nil {
		r.askers[k] = a
	}
	return a, err
}

// remindPartner queues a reminder or overdue notice to the partner's
// contact with a fresh sign-in link, unless the log has it already, and
// counts it in org too. A partner without an address is counted and tried
// again on the next run.
func (r *campaignMailRun) remindPartner(ctx context.Context, t *tx, out *outbox, links *linkBatch, a *openAssessment, m renkei.ScheduledMail, org *renkei.CampaignMailRun) error {
	ct, ok := a.contacts.AssessmentContact()
	if ok {
		ct.Email, ok = renkei.NormalizeEmail(ct.Email)
	}
	if !ok {
		r.counts.NoContact++
		return nil
	}
	mailID := NewID()
	if logged, err := t.logMail(ctx, a, m.Key, mailID); err != nil || !logged {
		return err
	}
	title, err := r.templateTitle(ctx, t, a.snapshotID)
	if err != nil {
		return err
	}
	who, err := r.asker(ctx, t, a.orgID, a.createdBy)
	if err != nil {
		return err
	}
	link := &renkei.PortalLink{OrgID: a.orgID, CompanyID: a.companyID, AssessmentID: a.id, Email: ct.Email,
		Purpose: renkei.PortalSignIn, ExpiresAt: t.db.now().Add(renkei.ReminderLinkTTL)}
	secret, err := links.add(ctx, link)
	if err != nil {
		return err
	}
	mail, err := renderCampaignMail(r.mailer, a.orgID, &renkei.CampaignMail{
		Kind: m.Kind, Locale: ct.Locale, To: ct.Email, OrgName: who.org, AskedBy: who.person, Campaign: a.campaignName,
		Template: title, Partner: a.partnerName, DueDate: a.due, Days: m.Days,
		LinkPath: renkei.PortalLinkPath(secret), LinkExpiresAt: link.ExpiresAt, CampaignID: a.campaignID, AssessmentID: a.id,
	})
	if err != nil {
		return err
	}
	mail.ID = mailID
	if m.Kind == renkei.CampaignMailOverdue {
		r.counts.Overdue++
		org.Overdue++
	} else {
		r.counts.Reminders++
		org.Reminders++
	}
	return out.add(ctx, mail)
}

// escalate logs the escalation of the assessments (one campaign, one owning
// department) and mails the list of those it logged to the department's
// staff: the organization's members with the department's role, else the
// campaign's creator, else its administrators; each in their own language.
func (r *campaignMailRun) escalate(ctx context.Context, t *tx, as []*openAssessment) error {
	first := as[0]
	mailID := NewID()
	var partners []string
	days := 0
	for _, a := range as {
		logged, err := t.logMail(ctx, a, renkei.CampaignMailEscalation, mailID)
		if err != nil {
			return err
		}
		if !logged {
			continue
		}
		partners = append(partners, a.partnerName)
		for _, m := range a.mails {
			if m.Kind == renkei.CampaignMailEscalation {
				days = max(days, m.Days)
			}
		}
	}
	if len(partners) == 0 {
		return nil
	}
	slices.Sort(partners)
	recipients, err := t.escalationRecipients(ctx, first.orgID, first.department, first.createdBy)
	if err != nil {
		return err
	}
	title, err := r.templateTitle(ctx, t, first.snapshotID)
	if err != nil {
		return err
	}
	who, err := r.asker(ctx, t, first.orgID, first.createdBy)
	if err != nil {
		return err
	}
	out := t.newOutbox()
	defer out.close()
	for i, to := range recipients {
		mail, err := renderCampaignMail(r.mailer, first.orgID, &renkei.CampaignMail{
			Kind: renkei.CampaignMailEscalation, Locale: to.locale, To: to.email, OrgName: who.org, AskedBy: who.person,
			Campaign: first.campaignName, Template: title, DueDate: first.due, Days: days, Overdue: partners,
			CampaignID: first.campaignID,
		})
		if err != nil {
			return err
		}
		if i == 0 {
			mail.ID = mailID // the one the log rows name
		}
		if err := out.add(ctx, mail); err != nil {
			return err
		}
		r.counts.Escalations++
	}
	return out.flush(ctx)
}

type recipient struct{ email, locale string }

// escalationRecipients are the staff an escalation goes to (see escalate).
func (t *tx) escalationRecipients(ctx context.Context, orgID, department, createdBy string) ([]recipient, error) {
	read := func(query string, args ...any) ([]recipient, error) {
		rows, err := t.queryRows(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []recipient
		for rows.Next() {
			var r recipient
			if err := rows.Scan(&r.email, &r.locale); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, rows.Err()
	}
	const members = `SELECT u.email, u.locale FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND m.role = ? ORDER BY u.email`
	if role := renkei.DepartmentRole(department); role != "" {
		if rs, err := read(members, orgID, string(role)); err != nil || len(rs) > 0 {
			return rs, err
		}
	}
	if rs, err := read(`SELECT u.email, u.locale FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND m.user_id = ?`, orgID, createdBy); err != nil || len(rs) > 0 {
		return rs, err
	}
	return read(members, orgID, string(renkei.RoleAdmin))
}
