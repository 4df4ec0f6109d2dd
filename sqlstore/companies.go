package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/renkei/renkei"
)

// Companies are shared by every organization that has the company as a
// partner, so the companies table keeps only what identifies a company:
// its Corporate Number (unique when present) and the name key and country
// it was first registered under. Everything an organization says about the
// company (name, kana, industry, employees, domains…) is that
// organization's own and lives on its partner row: one tenant can neither
// change nor read what another recorded, and the Company a store method
// returns is always the calling organization's view of it.
//
// A company without a Corporate Number is never matched (only flagged as
// a possible duplicate), so its row belongs to exactly one partner.

// companyFor returns the company row for c: the one with c's Corporate
// Number, created when there is none yet, or a new row when c has no
// number. Safe against a concurrent insert of the same number.
func (t *tx) companyFor(ctx context.Context, c *renkei.Company, now time.Time) (string, error) {
	if c.CorporateNumber == "" {
		id := NewID()
		_, err := t.exec(ctx, `INSERT INTO companies (id, corporate_number, name_key, country, created_at, updated_at) VALUES (?, '', ?, ?, ?, ?)`,
			id, c.NameKey, c.Country, now, now)
		return id, err
	}
	id, err := t.companyByNumber(ctx, c.CorporateNumber)
	if err != nil || id != "" {
		return id, err
	}
	if _, err := t.exec(ctx, `INSERT INTO companies (id, corporate_number, name_key, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, NewID(), c.CorporateNumber, c.NameKey, c.Country, now, now); err != nil {
		return "", err
	}
	id, err = t.companyByNumber(ctx, c.CorporateNumber)
	if err == nil && id == "" {
		err = errors.New("sqlstore: company row vanished after insert")
	}
	return id, err
}

// companyByNumber returns the ID of the company with the Corporate Number,
// or "".
func (t *tx) companyByNumber(ctx context.Context, number string) (string, error) {
	var id string
	err := t.queryRow(ctx, `SELECT id FROM companies WHERE corporate_number = ? AND corporate_number <> ''`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// touchPrivateCompany keeps a company row without a Corporate Number (one
// partner's own) in step with that partner's name and country.
func (t *tx) touchPrivateCompany(ctx context.Context, id string, c *renkei.Company, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE companies SET name_key = ?, country = ?, updated_at = ? WHERE id = ? AND corporate_number = ''`,
		c.NameKey, c.Country, now, id)
	return err
}

// dropPrivateCompany deletes a company row without a Corporate Number
// that no partner refers to any more. Rows with a number are shared and
// stay.
func (t *tx) dropPrivateCompany(ctx context.Context, id string) error {
	_, err := t.exec(ctx, `DELETE FROM companies WHERE id = ? AND corporate_number = ''
		AND NOT EXISTS (SELECT 1 FROM partners WHERE partners.company_id = companies.id)`, id)
	return err
}
