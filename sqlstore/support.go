package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// SupportRecords lists the support given to the partner, latest first.
func (db *DB) SupportRecords(ctx context.Context, orgID, partnerID string) ([]renkei.SupportRecord, error) {
	if err := partnerExists(ctx, db, orgID, partnerID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, org_id, partner_id, kind, date, description, amount_yen, created_at FROM support_records
		WHERE org_id = ? AND partner_id = ? ORDER BY date DESC, id DESC`, orgID, partnerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []renkei.SupportRecord{}
	for rows.Next() {
		var s renkei.SupportRecord
		if err := rows.Scan(&s.ID, &s.OrgID, &s.PartnerID, &s.Kind, &s.Date, &s.Description, &s.AmountYen, &s.CreatedAt); err != nil {
			return nil, err
		}
		s.Date, s.CreatedAt = s.Date.UTC(), s.CreatedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreateSupportRecord records support given to one of the organization's
// partners.
func (db *DB) CreateSupportRecord(ctx context.Context, s *renkei.SupportRecord) error {
	if err := renkei.Require(ctx, s.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := partnerExists(ctx, t, s.OrgID, s.PartnerID); err != nil {
			return err
		}
		s.ID, s.CreatedAt, s.Date = NewID(), t.db.now(), utc(s.Date)
		if _, err := t.exec(ctx, `INSERT INTO support_records (id, org_id, partner_id, kind, date, description, amount_yen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.OrgID, s.PartnerID, s.Kind, s.Date, s.Description, s.AmountYen, s.CreatedAt); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: s.OrgID, Action: "support.create", ObjectType: "support_record", ObjectID: s.ID,
			Detail: map[string]any{"partner_id": s.PartnerID, "kind": s.Kind, "amount_yen": s.AmountYen}})
	})
}
