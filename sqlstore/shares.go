package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/renkei/renkei"
)

// Sharing with consent (renkei.ShareStore): the rules are the core's
// (share.go); here each one is applied in the transaction that changes the
// row, with its audit entries.
//
// Decisions:
//   - The asking organization (org_id) reads a share only through its own
//     org_id; a partner user reaches one only through their company_id.
//     Anyone else gets not found, as for a share that does not exist.
//   - A grant or revocation is audited in the asking organization's log and
//     in the log of the organization that sent the shared assessment, so
//     that both see that the company's answers to it left for another
//     organization (or stopped).
//   - The copy is read from the assessment at the time of reading, not
//     frozen at grant time: the company consented to share that assessment,
//     and its review may still move it from submitted to reviewed.

const shareColumns = `s.id, s.org_id, s.partner_id, s.company_id, s.message, s.status, COALESCE(s.assessment_id, ''), s.expires_on,
	s.requested_by, s.decided_by, s.created_at, s.decided_at, s.revoked_at`

func scanShare(r interface{ Scan(...any) error }) (*renkei.Share, error) {
	var s renkei.Share
	var dec, rev sql.NullTime
	if err := r.Scan(&s.ID, &s.OrgID, &s.PartnerID, &s.CompanyID, &s.Message, &s.Status, &s.AssessmentID, &s.ExpiresOn,
		&s.RequestedBy, &s.DecidedBy, &s.CreatedAt, &dec, &rev); err != nil {
		return nil, notFound(err, "share")
	}
	s.CreatedAt = s.CreatedAt.UTC()
	s.DecidedAt, s.RevokedAt = timePtr(dec), timePtr(rev)
	return &s, nil
}

// RequestShare implements renkei.ShareStore.
func (db *DB) RequestShare(ctx context.Context, orgID, partnerID, message string, render func(renkei.ShareMail) *renkei.Mail) (*renkei.Share, error) {
	if isPartnerUser(ctx) {
		return nil, renkei.ErrNotFound("partner")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return nil, err
	}
	message = strings.TrimSpace(message)
	if err := renkei.CheckShareRequest(message); err != nil {
		return nil, err
	}
	s := &renkei.Share{ID: NewID(), OrgID: orgID, PartnerID: partnerID, Message: message, Status: renkei.ShareRequested, CreatedAt: db.now()}
	if a := renkei.ActorFrom(ctx); a != nil {
		s.RequestedBy = a.UserID
	}
	err := db.write(ctx, func(x *tx) error {
		_, p, err := scanCampaignPartner(x.queryRow(ctx, `SELECT `+campaignPartnerColumns+` FROM partners WHERE org_id = ? AND id = ?`, orgID, partnerID))
		if err != nil {
			return notFound(err, "partner")
		}
		s.CompanyID = p.companyID
		if _, err := x.exec(ctx, `INSERT INTO assessment_shares (id, org_id, partner_id, company_id, message, status, requested_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, orgID, partnerID, s.CompanyID, s.Message, s.Status, s.RequestedBy, s.CreatedAt); err != nil {
			return err
		}
		mailed, err := x.shareMail(ctx, orgID, p, s.Message, render)
		if err != nil {
			return err
		}
		return x.audit(ctx, change{OrgID: orgID, Action: "share.request", ObjectType: "share", ObjectID: s.ID,
			Detail: map[string]any{"partner_id": partnerID, "mailed": mailed}})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// shareMail queues the mail about a request to the partner's contact,
// when there is one to write to; it reports whether it did.
func (x *tx) shareMail(ctx context.Context, orgID string, p campaignPartner, message string, render func(renkei.ShareMail) *renkei.Mail) (bool, error) {
	ct, ok := p.contacts.AssessmentContact()
	if ok {
		ct.Email, ok = renkei.NormalizeEmail(ct.Email)
	}
	if render == nil || !ok {
		return false, nil
	}
	var orgName string
	if err := x.queryRow(ctx, `SELECT name FROM organizations WHERE id = ?`, orgID).Scan(&orgName); err != nil {
		return false, err
	}
	m := render(renkei.ShareMail{Locale: ct.Locale, To: ct.Email, OrgName: orgName, Partner: p.name, Message: message})
	m.OrgID, m.To = orgID, ct.Email
	return true, x.queueMail(ctx, m)
}

// partnerCompany returns the partner user's company, or EFORBIDDEN for
// anyone else.
func partnerCompany(ctx context.Context) (string, error) {
	a := renkei.ActorFrom(ctx)
	if a == nil || a.PartnerCompanyID == "" {
		return "", renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	return a.PartnerCompanyID, nil
}

// PartnerShares implements renkei.ShareStore.
func (db *DB) PartnerShares(ctx context.Context) ([]renkei.Share, error) {
	company, err := partnerCompany(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+shareColumns+`, o.name FROM assessment_shares s JOIN organizations o ON o.id = s.org_id
		WHERE s.company_id = ? ORDER BY s.id DESC LIMIT 500`, company)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.Share, error) {
		var name string
		s, err := scanShare(rowWith{r, &name})
		if err == nil {
			s.OrgName = name
		}
		return s, err
	})
}

// rowWith scans the share's columns and then extra.
type rowWith struct {
	r     interface{ Scan(...any) error }
	extra *string
}

func (w rowWith) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra)...) }

// decideShare runs one decision of the partner user on a share of their
// company, under a row lock: check says whether it may be taken, apply
// changes the row and names the audit action.
func (db *DB) decideShare(ctx context.Context, shareID string, check func(*renkei.Share) error,
	apply func(x *tx, s *renkei.Share) (action string, detail map[string]any, err error)) (*renkei.Share, error) {
	company, err := partnerCompany(ctx)
	if err != nil {
		return nil, err
	}
	var out *renkei.Share
	err = db.write(ctx, func(x *tx) error {
		lock := ""
		if db.dialect == Postgres {
			lock = ` FOR UPDATE`
		}
		s, err := scanShare(x.queryRow(ctx, `SELECT `+shareColumns+` FROM assessment_shares s WHERE s.company_id = ? AND s.id = ?`+lock, company, shareID))
		if err != nil {
			return err
		}
		if err := check(s); err != nil {
			return err
		}
		action, detail, err := apply(x, s)
		if err != nil {
			return err
		}
		if err := x.audit(ctx, change{OrgID: s.OrgID, Action: action, ObjectType: "share", ObjectID: s.ID, Detail: detail}); err != nil {
			return err
		}
		if s.AssessmentID != "" {
			// The sending organization's log records it too.
			var source string
			if err := x.queryRow(ctx, `SELECT org_id FROM assessments WHERE id = ?`, s.AssessmentID).Scan(&source); err != nil {
				return err
			}
			if source != s.OrgID {
				if err := x.audit(ctx, change{OrgID: source, Action: action, ObjectType: "assessment", ObjectID: s.AssessmentID,
					Detail: map[string]any{"share_id": s.ID}}); err != nil {
					return err
				}
			}
		}
		out = s
		return nil
	})
	return out, err
}

// GrantShare implements renkei.ShareStore.
func (db *DB) GrantShare(ctx context.Context, shareID, assessmentID, expiresOn string) (*renkei.Share, error) {
	now := db.now()
	return db.decideShare(ctx, shareID, func(*renkei.Share) error { return nil },
		func(x *tx, s *renkei.Share) (string, map[string]any, error) {
			// The assessment is looked up by the company, so that an ID of
			// another company's reads as none.
			a, err := scanAssessment(x.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE company_id = ? AND id = ?`, s.CompanyID, assessmentID))
			if err != nil && renkei.ErrorCode(err) != renkei.ENOTFOUND {
				return "", nil, err
			}
			if err := renkei.CheckGrant(s, a, expiresOn, now); err != nil {
				return "", nil, err
			}
			s.Status, s.AssessmentID, s.ExpiresOn, s.DecidedAt = renkei.ShareGranted, a.ID, expiresOn, &now
			s.DecidedBy = renkei.ActorFrom(ctx).UserID
			if _, err := x.exec(ctx, `UPDATE assessment_shares SET status = ?, assessment_id = ?, expires_on = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
				s.Status, s.AssessmentID, s.ExpiresOn, s.DecidedBy, now, s.ID); err != nil {
				return "", nil, err
			}
			return "share.grant", map[string]any{"assessment_id": a.ID, "expires_on": expiresOn}, nil
		})
}

// DeclineShare implements renkei.ShareStore.
func (db *DB) DeclineShare(ctx context.Context, shareID string) (*renkei.Share, error) {
	now := db.now()
	return db.decideShare(ctx, shareID, renkei.CheckDecline, func(x *tx, s *renkei.Share) (string, map[string]any, error) {
		s.Status, s.DecidedAt, s.DecidedBy = renkei.ShareDeclined, &now, renkei.ActorFrom(ctx).UserID
		_, err := x.exec(ctx, `UPDATE assessment_shares SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`, s.Status, s.DecidedBy, now, s.ID)
		return "share.decline", nil, err
	})
}

// RevokeShare implements renkei.ShareStore.
func (db *DB) RevokeShare(ctx context.Context, shareID string) (*renkei.Share, error) {
	now := db.now()
	return db.decideShare(ctx, shareID, renkei.CheckRevoke, func(x *tx, s *renkei.Share) (string, map[string]any, error) {
		s.Status, s.RevokedAt = renkei.ShareRevoked, &now
		_, err := x.exec(ctx, `UPDATE assessment_shares SET status = ?, revoked_at = ? WHERE id = ?`, s.Status, now, s.ID)
		return "share.revoke", map[string]any{"assessment_id": s.AssessmentID}, err
	})
}

// SharedAssessments implements renkei.ShareStore.
func (db *DB) SharedAssessments(ctx context.Context, orgID string, page renkei.Page) ([]renkei.Share, string, error) {
	return db.orgShares(ctx, orgID, page, renkei.ShareGranted, renkei.ShareRevoked)
}

// ShareRequests implements renkei.ShareStore.
func (db *DB) ShareRequests(ctx context.Context, orgID string, page renkei.Page) ([]renkei.Share, string, error) {
	return db.orgShares(ctx, orgID, page, renkei.ShareRequested, renkei.ShareGranted, renkei.ShareDeclined, renkei.ShareRevoked)
}

// orgShares reads one page of the organization's shares of the statuses,
// in ID (creation) order.
func (db *DB) orgShares(ctx context.Context, orgID string, page renkei.Page, statuses ...string) ([]renkei.Share, string, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, "", err
	}
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	args := []any{orgID}
	for _, st := range statuses {
		args = append(args, st)
	}
	args = append(args, after, page.Limit+1)
	rows, err := db.query(ctx, `SELECT `+shareColumns+` FROM assessment_shares s WHERE s.org_id = ? AND s.status IN (?`+strings.Repeat(", ?", len(statuses)-1)+`)
		AND s.id > ? ORDER BY s.id LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	items, err := collect(rows, scanShare)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, page.Limit, func(s *renkei.Share) string { return s.ID })
	return items, next, nil
}

// SharedAssessment implements renkei.ShareStore.
func (db *DB) SharedAssessment(ctx context.Context, orgID, shareID string) (*renkei.SharedCopy, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, err
	}
	s, err := scanShare(db.queryRow(ctx, `SELECT `+shareColumns+` FROM assessment_shares s WHERE s.org_id = ? AND s.id = ?`, orgID, shareID))
	if err != nil {
		return nil, renkei.ErrNotFound("shared_assessment")
	}
	if err := s.CheckViewable(db.now()); err != nil {
		return nil, err
	}
	// The assessment is read by the ID the company granted, in whatever
	// organization sent it: the grant is the permission.
	var body string
	a, err := scanAssessment(db.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = ? AND company_id = ?`, s.AssessmentID, s.CompanyID))
	if err != nil {
		return nil, err
	}
	if err := db.queryRow(ctx, `SELECT t.body FROM assessments a JOIN template_snapshots t ON t.id = a.snapshot_id WHERE a.id = ?`, a.ID).Scan(&body); err != nil {
		return nil, err
	}
	tpl := new(renkei.Template)
	if err := json.Unmarshal([]byte(body), tpl); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+answerColumns+` FROM assessment_answers WHERE org_id = ? AND assessment_id = ? ORDER BY question_ref`, a.OrgID, a.ID)
	if err != nil {
		return nil, err
	}
	recs, err := collect(rows, scanAnswer)
	if err != nil {
		return nil, err
	}
	return &renkei.SharedCopy{Share: *s, Template: tpl, Status: a.Status, SubmittedAt: a.SubmittedAt, Score: a.Score,
		Answers: renkei.SharedAnswers(recs)}, nil
}

var _ renkei.ShareStore = (*DB)(nil)
