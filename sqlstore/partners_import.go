package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// batch inserts rows several at a time, with one multi-row INSERT per
// batch (a prepared statement for full batches).
type batch struct {
	t            *tx
	head, suffix string
	ncol, size   int
	args         []any
	n            int
	full         *sql.Stmt
}

// newBatch starts a batch for head ("INSERT INTO t (a, b) VALUES ") with
// ncol values per row, and suffix after the rows (e.g. ON CONFLICT).
func (t *tx) newBatch(head string, ncol int, suffix string) *batch {
	size := 3000 / ncol // well under PostgreSQL's 65,535 parameters
	if size > 200 {
		size = 200
	}
	if t.db.dialect == SQLite {
		// No round trips to save, and a multi-row INSERT would keep a
		// statement journal (it may fail half-way): one row at a time.
		size = 1
	}
	return &batch{t: t, head: head, suffix: suffix, ncol: ncol, size: size}
}

func (b *batch) sql(rows int) string {
	row := "(" + placeholders(b.ncol) + ")"
	return b.head + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ") + b.suffix
}

func (b *batch) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.size {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == b.size {
		if b.full == nil {
			if b.full, err = b.t.prepare(ctx, b.sql(b.size)); err != nil {
				return err
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.t.tx.ExecContext(ctx, b.t.db.q(b.sql(b.n)), b.args...)
	}
	b.args, b.n = b.args[:0], 0
	return mapErr(err)
}

func (b *batch) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// bigCache gives the SQLite connection of a transaction that writes many
// partners a page cache (128 MiB) that holds the partners' indexes, which
// every row touches at random places: with the default 2 MiB the pages
// spill to the WAL and are read back again and again. The returned func
// restores the connection's setting. A no-op on PostgreSQL.
func (t *tx) bigCache(ctx context.Context) (func(), error) {
	if t.db.dialect != SQLite {
		return func() {}, nil
	}
	var prev int
	if err := t.queryRow(ctx, `PRAGMA cache_size`).Scan(&prev); err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `PRAGMA cache_size = -131072`); err != nil {
		return nil, err
	}
	return func() { _, _ = t.exec(ctx, `PRAGMA cache_size = `+strconv.Itoa(prev)) }, nil
}

// importChunk is how many rows are matched, fetched and written together.
const importChunk = 500

// errRollback ends a transaction that must keep nothing (a dry run, or an
// all-or-nothing import with errors) without being an error itself.
var errRollback = errors.New("sqlstore: roll back")

// ImportPartners writes imported rows in one transaction. Each row updates
// the organization's partner with its external ID, else the one tied to
// the company with its Corporate Number, else creates a partner (reusing
// the company with that number when some organization registered it).
//
//   - An update changes only the fields the row has columns for
//     (ImportRow.Columns); an empty external ID or Corporate Number in a
//     row never clears the stored one.
//   - Updated counts the partners whose stored data actually changed: the
//     same file imported twice creates and updates nothing the second time.
//   - A row whose partner an earlier row of the file already wrote is an
//     error (import.duplicate_row), as is a Corporate Number that belongs
//     to another of the organization's partners
//     (import.corporate_number_taken).
//   - Errors name the row and the field's JSON path as the column, with
//     the field's message key.
//   - One audit entry, partner.import, records the counts; each created
//     partner, and each updated one whose risk inputs or result changed,
//     gets a risk history entry.
func (db *DB) ImportPartners(ctx context.Context, orgID string, rows []renkei.ImportRow, mode string, dryRun bool) (renkei.ImportResult, error) {
	res := renkei.ImportResult{Errors: []renkei.ImportError{}}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return res, err
	}
	if mode == "" {
		mode = renkei.ImportAllOrNothing
	}
	if mode != renkei.ImportAllOrNothing && mode != renkei.ImportSkipInvalid {
		return res, renkei.Invalid(map[string]string{"mode": "field.code"})
	}
	err := db.write(ctx, func(t *tx) error {
		restore, err := t.bigCache(ctx)
		if err != nil {
			return err
		}
		defer restore()
		im, err := newImporter(ctx, t, orgID, mode, &res)
		if err != nil {
			return err
		}
		defer im.close()
		for i := 0; i < len(rows); i += importChunk {
			if err := im.chunk(ctx, rows[i:min(i+importChunk, len(rows))]); err != nil {
				return err
			}
		}
		if mode == renkei.ImportAllOrNothing && len(res.Errors) > 0 {
			res.Created, res.Updated = 0, 0
			return errRollback
		}
		if dryRun {
			return errRollback
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "partner.import", ObjectType: "partner",
			Detail: map[string]any{"rows": len(rows), "created": res.Created, "updated": res.Updated, "errors": len(res.Errors), "mode": mode}})
	})
	if errors.Is(err, errRollback) {
		return res, nil
	}
	if err != nil {
		return renkei.ImportResult{Errors: []renkei.ImportError{}}, err
	}
	if db.dialect == Postgres && res.Created+res.Updated >= 1000 {
		// Fresh statistics now, not when autovacuum gets to it: with the
		// old ones the planner may scan the whole table for each lookup
		// of the next import or list. Best effort (it needs ownership).
		_, _ = db.exec(ctx, `ANALYZE partners, companies, partner_risk_history`)
	}
	return res, nil
}

// importKey is what identifies one of the organization's partners.
type importKey struct{ ext, corp, companyID string }

type importer struct {
	t      *tx
	orgID  string
	mode   string
	rp     renkei.RiskPolicy
	now    time.Time
	actor  string
	res    *renkei.ImportResult
	writes bool // false once an all-or-nothing import has failed: nothing more is written

	byExt     map[string]string    // external ID → partner ID
	byCorp    map[string]string    // Corporate Number → partner ID
	keys      map[string]importKey // partner ID → its identifiers
	touched   map[string]int       // partner ID → the row that wrote it
	companies map[string]string    // Corporate Number → company ID, as far as known
	masks     map[string][]bool    // Columns, joined → which mergeFields they cover

	// The chunk's pending writes, flushed in foreign-key order.
	newCompanies []*renkei.Company
	inserts      []*renkei.Partner
	updates      []*renkei.Partner
	history      []*renkei.Partner
	touchCompany []*renkei.Partner
	dropCompany  []string

	companyBatch, partnerBatch, historyBatch *batch
	updateStmt, touchStmt, dropStmt          *sql.Stmt
}

func newImporter(ctx context.Context, t *tx, orgID, mode string, res *renkei.ImportResult) (*importer, error) {
	if err := t.orgExists(ctx, orgID); err != nil {
		return nil, err
	}
	rp, err := t.riskPolicy(ctx, orgID)
	if err != nil {
		return nil, err
	}
	im := &importer{t: t, orgID: orgID, mode: mode, rp: rp, now: t.db.now(), actor: actorID(ctx), res: res, writes: true,
		byExt: map[string]string{}, byCorp: map[string]string{}, keys: map[string]importKey{}, touched: map[string]int{},
		companies: map[string]string{}, masks: map[string][]bool{}}
	rows, err := t.queryRows(ctx, `SELECT id, external_id, corporate_number, company_id FROM partners WHERE org_id = ?`, orgID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var k importKey
		if err := rows.Scan(&id, &k.ext, &k.corp, &k.companyID); err != nil {
			rows.Close()
			return nil, err
		}
		im.setKey(id, k)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	im.companyBatch = t.newBatch(`INSERT INTO companies (id, corporate_number, name_key, country, created_at, updated_at) VALUES `, 6, ` ON CONFLICT DO NOTHING`)
	im.partnerBatch = t.newBatch(`INSERT INTO partners (`+partnerInsertColumns+`) VALUES `, partnerInsertArity, "")
	im.historyBatch = t.newBatch(`INSERT INTO partner_risk_history (id, org_id, partner_id, at, score, tier, required_level, reasons, actor_id) VALUES `, 9, "")
	return im, nil
}

func (im *importer) close() {
	im.companyBatch.close()
	im.partnerBatch.close()
	im.historyBatch.close()
	for _, s := range []*sql.Stmt{im.updateStmt, im.touchStmt, im.dropStmt} {
		if s != nil {
			s.Close()
		}
	}
}

func (im *importer) setKey(id string, k importKey) {
	if old, ok := im.keys[id]; ok {
		if old.ext != "" && im.byExt[old.ext] == id {
			delete(im.byExt, old.ext)
		}
		if old.corp != "" && im.byCorp[old.corp] == id {
			delete(im.byCorp, old.corp)
		}
	}
	im.keys[id] = k
	if k.ext != "" {
		im.byExt[k.ext] = id
	}
	if k.corp != "" {
		im.byCorp[k.corp] = id
		im.companies[k.corp] = k.companyID
	}
}

func (im *importer) fail(row int, column, key string, args ...any) {
	im.res.Errors = append(im.res.Errors, renkei.ImportError{Row: row, Column: column, Key: key, Args: args})
	if im.mode == renkei.ImportAllOrNothing {
		im.writes = false
	}
}

func (im *importer) failFields(row int, err error) {
	var e *renkei.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		im.fail(row, "", "error.invalid_fields")
		return
	}
	cols := make([]string, 0, len(e.Fields))
	for c := range e.Fields {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	for _, c := range cols {
		im.fail(row, c, e.Fields[c])
	}
}

// staged is one row of a chunk, validated.
type staged struct {
	row     *renkei.ImportRow
	p       renkei.Partner
	corp    string // the Corporate Number to match by: "" when absent or invalid
	invalid error
}

func (im *importer) chunk(ctx context.Context, rows []renkei.ImportRow) error {
	st := make([]staged, len(rows))
	var fetch, lookup []string
	seen := map[string]bool{}
	for i := range rows {
		s := &st[i]
		s.row, s.p = &rows[i], rows[i].Partner
		s.p.OrgID = im.orgID
		s.invalid = validPartner(&s.p)
		ext, corp := s.p.ExternalID, s.p.Company.CorporateNumber
		var e *renkei.Error
		if errors.As(s.invalid, &e) && e.Fields["company.corporate_number"] != "" {
			corp = ""
		}
		s.corp = corp
		for _, id := range []string{im.byExt[ext], im.byCorp[corp]} {
			if _, done := im.touched[id]; id != "" && !seen[id] && !done {
				seen[id] = true
				fetch = append(fetch, id)
			}
		}
		if corp != "" && im.companies[corp] == "" && !seen["c:"+corp] {
			seen["c:"+corp] = true
			lookup = append(lookup, corp)
		}
	}
	loaded, err := im.fetch(ctx, fetch)
	if err != nil {
		return err
	}
	if err := im.lookupCompanies(ctx, lookup); err != nil {
		return err
	}
	for i := range st {
		if err := im.apply(ctx, &st[i], loaded); err != nil {
			return err
		}
	}
	return im.flush(ctx)
}

// fetch reads the organization's partners with the IDs.
func (im *importer) fetch(ctx context.Context, ids []string) (map[string]*renkei.Partner, error) {
	out := make(map[string]*renkei.Partner, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, im.orgID)
	for _, id := range ids {
		args = append(args, id)
	}
	// On SQLite, "+" keeps the planner off the org_id indexes (without
	// statistics it would scan the organization's partners for the IDs).
	orgCol := "p.org_id"
	if im.t.db.dialect == SQLite {
		orgCol = "+p.org_id"
	}
	rows, err := im.t.queryRows(ctx, `SELECT `+partnerColumns+` FROM partners p WHERE `+orgCol+` = ? AND p.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		p, err := scanPartner(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out[p.ID] = p
	}
	return out, closeRows(rows)
}

// lookupCompanies learns the company IDs of Corporate Numbers that some
// organization registered.
func (im *importer) lookupCompanies(ctx context.Context, numbers []string) error {
	if len(numbers) == 0 {
		return nil
	}
	args := make([]any, len(numbers))
	for i, n := range numbers {
		args[i] = n
	}
	rows, err := im.t.queryRows(ctx, `SELECT id, corporate_number FROM companies WHERE corporate_number <> '' AND corporate_number IN (`+placeholders(len(numbers))+`)`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		im.companies[n] = id
	}
	return closeRows(rows)
}

// companyFor returns the company row for c, staging a new one when the
// number is unknown or absent.
func (im *importer) companyFor(c *renkei.Company) string {
	if c.CorporateNumber != "" {
		if id := im.companies[c.CorporateNumber]; id != "" {
			return id
		}
	}
	nc := &renkei.Company{ID: NewID(), CorporateNumber: c.CorporateNumber, NameKey: c.NameKey, Country: c.Country}
	im.newCompanies = append(im.newCompanies, nc)
	if c.CorporateNumber != "" {
		im.companies[c.CorporateNumber] = nc.ID
	}
	return nc.ID
}

func (im *importer) apply(ctx context.Context, s *staged, loaded map[string]*renkei.Partner) error {
	row := s.row.Row
	ext, corp := s.p.ExternalID, s.corp
	id, col := "", ""
	if ext != "" && im.byExt[ext] != "" {
		id, col = im.byExt[ext], "external_id"
	} else if corp != "" && im.byCorp[corp] != "" {
		id, col = im.byCorp[corp], "company.corporate_number"
		if other := im.keys[id].ext; ext != "" && other != "" {
			// The company is the organization's partner under another
			// external ID.
			im.fail(row, "company.corporate_number", "import.corporate_number_taken", other)
			return nil
		}
	}
	if id == "" {
		return im.create(s)
	}
	if first, done := im.touched[id]; done {
		im.fail(row, col, "import.duplicate_row", first)
		return nil
	}
	cur := loaded[id]
	if cur == nil {
		m, err := im.fetch(ctx, []string{id})
		if err != nil {
			return err
		}
		if cur = m[id]; cur == nil {
			return errors.New("sqlstore: import: partner vanished")
		}
	}
	if corp != "" && corp != cur.Company.CorporateNumber {
		if other := im.byCorp[corp]; other != "" && other != id {
			im.fail(row, "company.corporate_number", "import.corporate_number_taken", im.keys[other].ext)
			return nil
		}
	}
	p := im.merge(cur, &s.p, s.row.Columns)
	if err := validPartner(p); err != nil {
		im.failFields(row, err)
		return nil
	}
	im.touched[id] = row
	if p.Company.CorporateNumber != cur.Company.CorporateNumber {
		p.Company.ID = im.companyFor(&p.Company)
		if cur.Company.CorporateNumber == "" {
			im.dropCompany = append(im.dropCompany, cur.Company.ID)
		}
	} else {
		p.Company.ID = cur.Company.ID
	}
	im.rp.Evaluate(p)
	before, after := rowOf(cur), rowOf(p)
	if before == after {
		return nil
	}
	p.UpdatedAt = im.now
	im.updates = append(im.updates, p)
	if before.riskInputs() != after.riskInputs() || before.riskResult() != after.riskResult() {
		im.history = append(im.history, p)
	}
	if p.Company.CorporateNumber == "" && p.Company.ID == cur.Company.ID && (before.NameKey != after.NameKey || before.Country != after.Country) {
		im.touchCompany = append(im.touchCompany, p)
	}
	im.setKey(id, importKey{ext: p.ExternalID, corp: p.Company.CorporateNumber, companyID: p.Company.ID})
	im.res.Updated++
	return nil
}

func (im *importer) create(s *staged) error {
	if s.invalid != nil {
		im.failFields(s.row.Row, s.invalid)
		return nil
	}
	p := &s.p
	p.ID, p.CreatedAt, p.UpdatedAt, p.ArchivedAt = NewID(), im.now, im.now, nil
	p.Company.ID = im.companyFor(&p.Company)
	p.Company.CreatedAt, p.Company.UpdatedAt = im.now, im.now
	im.rp.Evaluate(p)
	im.inserts = append(im.inserts, p)
	im.history = append(im.history, p)
	im.touched[p.ID] = s.row.Row
	im.setKey(p.ID, importKey{ext: p.ExternalID, corp: p.Company.CorporateNumber, companyID: p.Company.ID})
	im.res.Created++
	return nil
}

// flush writes the chunk's staged changes: companies, then partners and
// updates, then history, so that every reference points at a stored row.
func (im *importer) flush(ctx context.Context) error {
	defer func() {
		im.newCompanies, im.inserts, im.updates, im.history, im.touchCompany, im.dropCompany = nil, nil, nil, nil, nil, nil
	}()
	if !im.writes {
		return nil
	}
	var numbered []string
	for _, c := range im.newCompanies {
		if err := im.companyBatch.add(ctx, c.ID, c.CorporateNumber, c.NameKey, c.Country, im.now, im.now); err != nil {
			return err
		}
		if c.CorporateNumber != "" {
			numbered = append(numbered, c.CorporateNumber)
		}
	}
	if err := im.companyBatch.flush(ctx); err != nil {
		return err
	}
	if len(numbered) > 0 {
		// Another transaction may have registered one of the numbers
		// first (ON CONFLICT DO NOTHING kept its row): use that row.
		staged := map[string]string{}
		for _, n := range numbered {
			staged[n] = im.companies[n]
		}
		for i := 0; i < len(numbered); i += 500 {
			if err := im.lookupCompanies(ctx, numbered[i:min(i+500, len(numbered))]); err != nil {
				return err
			}
		}
		for _, list := range [][]*renkei.Partner{im.inserts, im.updates} {
			for _, p := range list {
				if n := p.Company.CorporateNumber; n != "" && staged[n] == p.Company.ID && im.companies[n] != p.Company.ID {
					p.Company.ID = im.companies[n]
				}
			}
		}
	}
	for _, p := range im.inserts {
		if err := im.partnerBatch.add(ctx, partnerInsertArgs(p, rowOf(p))...); err != nil {
			return err
		}
	}
	if err := im.partnerBatch.flush(ctx); err != nil {
		return err
	}
	var err error
	if len(im.updates) > 0 && im.updateStmt == nil {
		if im.updateStmt, err = im.t.prepare(ctx, partnerUpdateSQL); err != nil {
			return err
		}
	}
	for _, p := range im.updates {
		if _, err := im.updateStmt.ExecContext(ctx, partnerUpdateArgs(p, rowOf(p))...); err != nil {
			return mapErr(err)
		}
	}
	if len(im.touchCompany) > 0 && im.touchStmt == nil {
		if im.touchStmt, err = im.t.prepare(ctx, `UPDATE companies SET name_key = ?, country = ?, updated_at = ? WHERE id = ? AND corporate_number = ''`); err != nil {
			return err
		}
	}
	for _, p := range im.touchCompany {
		if _, err := im.touchStmt.ExecContext(ctx, p.Company.NameKey, p.Company.Country, im.now, p.Company.ID); err != nil {
			return mapErr(err)
		}
	}
	if len(im.dropCompany) > 0 && im.dropStmt == nil {
		if im.dropStmt, err = im.t.prepare(ctx, `DELETE FROM companies WHERE id = ? AND corporate_number = ''
			AND NOT EXISTS (SELECT 1 FROM partners WHERE partners.company_id = companies.id)`); err != nil {
			return err
		}
	}
	for _, id := range im.dropCompany {
		if _, err := im.dropStmt.ExecContext(ctx, id); err != nil {
			return mapErr(err)
		}
	}
	for _, p := range im.history {
		if err := im.historyBatch.add(ctx, NewID(), im.orgID, p.ID, im.now, p.Risk.Score, p.Risk.Tier, p.Required, reasonsJSON(p.Risk.Reasons), im.actor); err != nil {
			return err
		}
	}
	return im.historyBatch.flush(ctx)
}

// mergeField copies one field of an imported row onto a partner.
type mergeField struct {
	path string
	set  func(dst, src *renkei.Partner)
}

var mergeFields = []mergeField{
	{"external_id", func(d, s *renkei.Partner) {
		if s.ExternalID != "" {
			d.ExternalID = s.ExternalID
		}
	}},
	{"type", func(d, s *renkei.Partner) { d.Type = s.Type }},
	{"department", func(d, s *renkei.Partner) { d.Department = s.Department }},
	{"notes", func(d, s *renkei.Partner) { d.Notes = s.Notes }},
	{"company.name", func(d, s *renkei.Partner) { d.Company.Name = s.Company.Name }},
	{"company.name_kana", func(d, s *renkei.Partner) { d.Company.NameKana = s.Company.NameKana }},
	{"company.corporate_number", func(d, s *renkei.Partner) {
		if s.Company.CorporateNumber != "" {
			d.Company.CorporateNumber = s.Company.CorporateNumber
		}
	}},
	{"company.country", func(d, s *renkei.Partner) { d.Company.Country = s.Company.Country }},
	{"company.industry", func(d, s *renkei.Partner) { d.Company.Industry = s.Company.Industry }},
	{"company.employees", func(d, s *renkei.Partner) { d.Company.Employees = s.Company.Employees }},
	{"company.revenue_band", func(d, s *renkei.Partner) { d.Company.RevenueBand = s.Company.RevenueBand }},
	{"company.listed", func(d, s *renkei.Partner) { d.Company.Listed = s.Company.Listed }},
	{"company.web_domain", func(d, s *renkei.Partner) { d.Company.WebDomain = s.Company.WebDomain }},
	{"company.mail_domain", func(d, s *renkei.Partner) { d.Company.MailDomain = s.Company.MailDomain }},
	{"profile.provides", func(d, s *renkei.Partner) { d.Profile.Provides = s.Profile.Provides }},
	{"profile.personal_data", func(d, s *renkei.Partner) { d.Profile.PersonalData = s.Profile.PersonalData }},
	{"profile.personal_data_count", func(d, s *renkei.Partner) { d.Profile.PersonalDataCount = s.Profile.PersonalDataCount }},
	{"profile.sensitive_personal_data", func(d, s *renkei.Partner) { d.Profile.SensitivePersonalData = s.Profile.SensitivePersonalData }},
	{"profile.confidential_technical", func(d, s *renkei.Partner) { d.Profile.ConfidentialTechnical = s.Profile.ConfidentialTechnical }},
	{"profile.financial_data", func(d, s *renkei.Partner) { d.Profile.FinancialData = s.Profile.FinancialData }},
	{"profile.network_access", func(d, s *renkei.Partner) { d.Profile.NetworkAccess = s.Profile.NetworkAccess }},
	{"profile.outage_stops_business", func(d, s *renkei.Partner) { d.Profile.OutageStopsBusiness = s.Profile.OutageStopsBusiness }},
	{"profile.has_alternative", func(d, s *renkei.Partner) { d.Profile.HasAlternative = s.Profile.HasAlternative }},
	{"profile.critical_infrastructure", func(d, s *renkei.Partner) { d.Profile.CriticalInfrastructure = s.Profile.CriticalInfrastructure }},
	{"profile.subcontracts", func(d, s *renkei.Partner) { d.Profile.Subcontracts = s.Profile.Subcontracts }},
	{"profile.region", func(d, s *renkei.Partner) { d.Profile.Region = s.Profile.Region }},
	{"profile.handles_confidential_on_own_it", func(d, s *renkei.Partner) {
		d.Profile.HandlesConfidentialOnOwnIT = s.Profile.HandlesConfidentialOnOwnIT
	}},
	{"profile.outage_unacceptable", func(d, s *renkei.Partner) { d.Profile.OutageUnacceptable = s.Profile.OutageUnacceptable }},
	{"profile.reaches_internal_network", func(d, s *renkei.Partner) { d.Profile.ReachesInternalNetwork = s.Profile.ReachesInternalNetwork }},
	{"contacts.business.name", func(d, s *renkei.Partner) { d.Contacts.Business.Name = s.Contacts.Business.Name }},
	{"contacts.business.email", func(d, s *renkei.Partner) { d.Contacts.Business.Email = s.Contacts.Business.Email }},
	{"contacts.business.phone", func(d, s *renkei.Partner) { d.Contacts.Business.Phone = s.Contacts.Business.Phone }},
	{"contacts.security.name", func(d, s *renkei.Partner) { d.Contacts.Security.Name = s.Contacts.Security.Name }},
	{"contacts.security.email", func(d, s *renkei.Partner) { d.Contacts.Security.Email = s.Contacts.Security.Email }},
	{"contacts.security.phone", func(d, s *renkei.Partner) { d.Contacts.Security.Phone = s.Contacts.Security.Phone }},
	{"contacts.incident.name", func(d, s *renkei.Partner) { d.Contacts.Incident.Name = s.Contacts.Incident.Name }},
	{"contacts.incident.email", func(d, s *renkei.Partner) { d.Contacts.Incident.Email = s.Contacts.Incident.Email }},
	{"contacts.incident.phone", func(d, s *renkei.Partner) { d.Contacts.Incident.Phone = s.Contacts.Incident.Phone }},
	{"contacts.incident_procedure", func(d, s *renkei.Partner) { d.Contacts.IncidentProcedure = s.Contacts.IncidentProcedure }},
}

// covers reports whether a column list names path or a prefix of it.
func covers(cols []string, path string) bool {
	for _, c := range cols {
		if c == path || strings.HasPrefix(path, c+".") {
			return true
		}
	}
	return false
}

// merge returns cur with the row's fields that the file has columns for.
func (im *importer) merge(cur, in *renkei.Partner, cols []string) *renkei.Partner {
	p := *cur
	if cols == nil {
		for _, f := range mergeFields {
			f.set(&p, in)
		}
		return &p
	}
	key := strings.Join(cols, "\x00")
	mask, ok := im.masks[key]
	if !ok {
		mask = make([]bool, len(mergeFields))
		for i, f := range mergeFields {
			mask[i] = covers(cols, f.path)
		}
		im.masks[key] = mask
	}
	for i, f := range mergeFields {
		if mask[i] {
			f.set(&p, in)
		}
	}
	return &p
}
