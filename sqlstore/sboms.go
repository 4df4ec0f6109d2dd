package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/osvmatch"
)

// Findings are not stored. A store that keeps the vulnerability index
// (KeepVulnIndex, the server) reads them from it (vulnindex.go). Otherwise
// they are computed when read: the components asked about are loaded with
// the advisories that name their packages (one indexed lookup per package:
// sbom_components and advisory_packages share the key eco_key + pkg_name,
// indexed on sbom_components by its hash, pkg_key),
// and osvmatch evaluates them in a small Index built for the query. Either
// way an SBOM's findings exist as soon as its transaction commits, an
// advisory's affected products as soon as the advisory's does, and every
// replica answers the same.

var (
	_ renkei.SBOMStore = (*DB)(nil)
	_ renkei.VulnStore = (*DB)(nil)
)

// batchRows is how many rows one multi-row INSERT carries.
const batchRows = 500

// inListSize is how many values one IN (…) list holds; shorter lists are
// padded so that each statement has one shape.
const inListSize = 200

// componentKey is how matching reads a component's reference
// (osvmatch.MatchRef: its purl, or its CPE when it has no purl of an OSV
// ecosystem): the base ecosystem, the normalized name and version; "" when
// the component has nothing to match by.
func componentKey(ref string) (eco, name, version string) {
	if ref == "" {
		return "", "", ""
	}
	p, ok := osvmatch.PackageOfRef(ref)
	if !ok {
		return "", "", ""
	}
	return renkei.BaseEcosystem(p.Ecosystem), p.Name, p.Version
}

// matchKey is componentKey of the component's reference
// (osvmatch.Match), its purl parsed once.
func matchKey(c renkei.Component) (eco, name, version string) {
	_, p, ok := osvmatch.Match(c)
	if !ok {
		return "", "", ""
	}
	return renkei.BaseEcosystem(p.Ecosystem), p.Name, p.Version
}

// refColumns are what a stored component's reference is read from (the
// table is aliased c): its purl, and for a component matched by its CPE
// (eco_key 'CPE') its CPEs and version — empty for every other row, so
// that reading millions of them costs no more than reading the purl.
// componentRef puts them together.
const refColumns = `c.purl, CASE WHEN c.eco_key = 'CPE' THEN c.cpes ELSE '' END, CASE WHEN c.eco_key = 'CPE' THEN c.version ELSE '' END`

func componentRef(purl, cpes, version string) string {
	if cpes == "" {
		return purl
	}
	return osvmatch.MatchRef(renkei.Component{CPEs: strings.Split(cpes, "\n"), Version: version})
}

// ImportSBOMs stores the product and replaces its SBOMs, in one transaction.
func (db *DB) ImportSBOMs(ctx context.Context, p *renkei.Product, uploads []renkei.SBOMUpload) ([]renkei.StoredSBOM, error) {
	streams := make([]SBOMStream, len(uploads))
	for i, u := range uploads {
		streams[i] = SBOMStream{FileName: u.FileName, Read: func(give func([]renkei.Component) error) (*renkei.SBOM, error) {
			return u.SBOM, give(u.SBOM.Components)
		}}
	}
	return db.ImportSBOMStreams(ctx, p, streams)
}

// SBOMStream is an SBOM stored while it is read: Read calls give with its
// components in order, in batches, and returns the whole SBOM (its
// components included) once the file is read — as
// sbomfile.Limits.ParseStream does, so that a large file is parsed on some
// processors while another stores what is parsed.
type SBOMStream struct {
	FileName string
	Read     func(give func([]renkei.Component) error) (*renkei.SBOM, error)
}

// ImportSBOMStreams is ImportSBOMs for SBOMs read while they are stored.
// An error from a Read rolls everything back.
func (db *DB) ImportSBOMStreams(ctx context.Context, p *renkei.Product, streams []SBOMStream) ([]renkei.StoredSBOM, error) {
	if err := renkei.Require(ctx, p.OrgID, renkei.PermWrite); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(streams) == 0 {
		return nil, renkei.Invalid(map[string]string{"file": "field.required"})
	}
	by := ""
	if a := renkei.ActorFrom(ctx); a != nil {
		by = a.UserID
		if by == "" {
			by = a.Label
		}
	}
	var out []renkei.StoredSBOM
	err := db.write(ctx, func(t *tx) error {
		if err := t.orgExists(ctx, p.OrgID); err != nil {
			return err
		}
		if p.PartnerID != "" {
			var one int
			err := t.queryRow(ctx, `SELECT 1 FROM partners WHERE org_id = ? AND id = ?`, p.OrgID, p.PartnerID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return renkei.Invalid(map[string]string{"partner": "sbom.partner_unknown"})
			} else if err != nil {
				return err
			}
		}
		now := t.db.now()
		var existing string
		err := t.queryRow(ctx, `SELECT id FROM products WHERE org_id = ? AND partner_id = ? AND name = ? AND version = ?`,
			p.OrgID, p.PartnerID, p.Name, p.Version).Scan(&existing)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.ID, p.CreatedAt, p.UpdatedAt = NewID(), now, now
			if _, err := t.exec(ctx, `INSERT INTO products (id, org_id, partner_id, name, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				p.ID, p.OrgID, p.PartnerID, p.Name, p.Version, now, now); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			p.ID, p.UpdatedAt = existing, now
			if err := t.deleteSBOMs(ctx, p.OrgID, p.ID); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE products SET updated_at = ? WHERE org_id = ? AND id = ?`, now, p.OrgID, p.ID); err != nil {
				return err
			}
		}
		for _, src := range streams {
			s := renkei.StoredSBOM{ID: NewID(), OrgID: p.OrgID, ProductID: p.ID, FileName: src.FileName, UploadedAt: now, UploadedBy: by}
			if err := t.insertSBOM(ctx, &s, src); err != nil {
				return err
			}
			out = append(out, s)
		}
		if err := t.vulnChanged(ctx, changeProduct, p.ID); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: p.OrgID, Action: "sbom.import", ObjectType: "product", ObjectID: p.ID,
			Detail: map[string]any{"product": p.Name, "version": p.Version, "partner_id": p.PartnerID, "sboms": len(out)}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errWriteStopped tells a Read that its batches are no longer taken: a
// write failed, and that error is the import's.
var errWriteStopped = errors.New("sbom import: writing stopped")

// insertSBOM stores one SBOM as it is read: its row first (the
// components refer to it), its components batch by batch, then what is
// known once the file is read (format, name, count) and its edges.
func (t *tx) insertSBOM(ctx context.Context, s *renkei.StoredSBOM, src SBOMStream) error {
	if _, err := t.exec(ctx, `INSERT INTO sboms (id, org_id, product_id, file_name, format, spec_version, name, component_count, uploaded_at, uploaded_by)
		VALUES (?, ?, ?, ?, '', '', '', 0, ?, ?)`,
		s.ID, s.OrgID, s.ProductID, s.FileName, s.UploadedAt, s.UploadedBy); err != nil {
		return err
	}
	// The file is read on another goroutine, which also prepares each
	// batch's rows, while this one (the transaction's) writes the batch
	// before: SQLite writes on one processor while the rest of the file
	// is decoded and the next rows prepared on the others.
	batches := make(chan [][]any, 1)
	quit := make(chan struct{})
	var sbom *renkei.SBOM
	var readErr error
	var panicked any
	stored := 0
	go func() {
		defer close(batches)
		// A panic while reading goes on in the caller's goroutine (where a
		// server recovers it for the one request), not in this one.
		defer func() {
			if r := recover(); r != nil {
				panicked = r
			}
		}()
		sbom, readErr = src.Read(func(batch []renkei.Component) error {
			select {
			case <-quit:
				return errWriteStopped
			default:
			}
			values := componentValues(*s, stored, batch)
			stored += len(batch)
			select {
			case batches <- values:
				return nil
			case <-quit:
				return errWriteStopped
			}
		})
	}()
	var writeErr error
	for values := range batches {
		if writeErr == nil {
			if writeErr = t.insertComponents(ctx, values); writeErr != nil {
				close(quit)
			}
		}
	}
	// batches is closed: Read has returned.
	if panicked != nil {
		panic(panicked)
	}
	if writeErr != nil {
		return writeErr
	}
	if readErr != nil {
		return readErr
	}
	if stored != len(sbom.Components) {
		return fmt.Errorf("sbom %s: %d components stored, %d read", src.FileName, stored, len(sbom.Components))
	}
	s.Format, s.SpecVersion, s.Name, s.ComponentCount = sbom.Format, sbom.SpecVersion, sbom.Name, stored
	if _, err := t.exec(ctx, `UPDATE sboms SET format = ?, spec_version = ?, name = ?, component_count = ? WHERE org_id = ? AND id = ?`,
		s.Format, s.SpecVersion, s.Name, s.ComponentCount, s.OrgID, s.ID); err != nil {
		return err
	}
	return t.insertDependencies(ctx, s.ID, sbom.Dependencies)
}

// deleteSBOMs removes a product's SBOMs with their components and edges.
func (t *tx) deleteSBOMs(ctx context.Context, orgID, productID string) error {
	for _, q := range []string{
		`DELETE FROM sbom_components WHERE sbom_id IN (SELECT id FROM sboms WHERE org_id = ? AND product_id = ?)`,
		`DELETE FROM sbom_dependencies WHERE sbom_id IN (SELECT id FROM sboms WHERE org_id = ? AND product_id = ?)`,
		`DELETE FROM sboms WHERE org_id = ? AND product_id = ?`,
	} {
		if _, err := t.exec(ctx, q, orgID, productID); err != nil {
			return err
		}
	}
	return nil
}

// insertRows writes rows with multi-row INSERTs of batchRows rows. The
// statement for a full batch is prepared once: parsing an INSERT of
// thousands of placeholders costs about as much as running it.
func (t *tx) insertRows(ctx context.Context, head string, cols int, rows [][]any) error {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	statement := func(n int) string {
		return head + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	var full *sql.Stmt
	if len(rows) >= 2*batchRows {
		var err error
		if full, err = t.tx.PrepareContext(ctx, t.db.q(statement(batchRows))); err != nil {
			return mapErr(err)
		}
		defer full.Close()
	}
	args := make([]any, 0, min(len(rows), batchRows)*cols)
	for len(rows) > 0 {
		n := min(len(rows), batchRows)
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		var err error
		if n == batchRows && full != nil {
			_, err = full.ExecContext(ctx, args...)
			err = mapErr(err)
		} else {
			_, err = t.exec(ctx, statement(n), args...)
		}
		if err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// componentRow is a component with its match key, as stored.
type componentRow struct {
	c              *renkei.Component
	idx            int
	eco, name, ver string
	key            int64
}

// componentRows reads the components' match keys (a purl parse each, the
// costliest part outside SQLite) on every processor.
func componentRows(orgID string, first int, comps []renkei.Component) []componentRow {
	rows := make([]componentRow, len(comps))
	workers := min(runtime.GOMAXPROCS(0), 1+len(comps)/4096)
	per := (len(comps) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * per; i < min((w+1)*per, len(comps)); i++ {
				eco, name, ver := matchKey(comps[i])
				rows[i] = componentRow{c: &comps[i], idx: first + i, eco: eco, name: name, ver: ver, key: packageKey(orgID, eco, name)}
			}
		})
	}
	wg.Wait()
	return rows
}

// componentValues are the rows of components of the SBOM, whose first is
// the SBOM's component number first, in the order of the package index:
// its entries then go in next to each other instead of one random page of
// a large index each.
func componentValues(s renkei.StoredSBOM, first int, comps []renkei.Component) [][]any {
	rows := componentRows(s.OrgID, first, comps)
	slices.SortFunc(rows, func(a, b componentRow) int { return cmp.Compare(a.key, b.key) })
	values := make([][]any, len(rows))
	for i, r := range rows {
		cpes := ""
		if len(r.c.CPEs) > 0 {
			cpes = strings.Join(r.c.CPEs, "\n")
		}
		values[i] = []any{s.ID, r.idx, s.OrgID, r.c.BOMRef, r.c.Name, r.c.Version, r.c.PURL, r.c.Ecosystem, r.eco, r.name, r.ver, cpes, r.key}
	}
	return values
}

func (t *tx) insertComponents(ctx context.Context, values [][]any) error {
	return t.insertRows(ctx, `INSERT INTO sbom_components (sbom_id, idx, org_id, bom_ref, name, version, purl, ecosystem, eco_key, pkg_name, pkg_version, cpes, pkg_key) VALUES `, 13, values)
}

func (t *tx) insertDependencies(ctx context.Context, sbomID string, deps []renkei.Dependency) error {
	rows := make([][]any, 0, len(deps))
	for _, d := range deps {
		rows = append(rows, []any{sbomID, d.From, d.To, d.Kind})
	}
	return t.insertRows(ctx, `INSERT INTO sbom_dependencies (sbom_id, from_ref, to_ref, kind) VALUES `, 4, rows)
}

// Products lists the organization's products by name and version.
func (db *DB) Products(ctx context.Context, orgID string) ([]renkei.Product, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, org_id, partner_id, name, version, created_at, updated_at FROM products WHERE org_id = ? ORDER BY name, version, partner_id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []renkei.Product
	for rows.Next() {
		var p renkei.Product
		if err := rows.Scan(&p.ID, &p.OrgID, &p.PartnerID, &p.Name, &p.Version, &p.CreatedAt, &p.UpdatedAt); err != nil {
			return nil, err
		}
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// SBOMs lists a product's SBOMs.
func (db *DB) SBOMs(ctx context.Context, orgID, productID string) ([]renkei.StoredSBOM, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, org_id, product_id, file_name, format, spec_version, name, component_count, uploaded_at, uploaded_by
		FROM sboms WHERE org_id = ? AND product_id = ? ORDER BY id`, orgID, productID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []renkei.StoredSBOM
	for rows.Next() {
		var s renkei.StoredSBOM
		if err := rows.Scan(&s.ID, &s.OrgID, &s.ProductID, &s.FileName, &s.Format, &s.SpecVersion, &s.Name, &s.ComponentCount, &s.UploadedAt, &s.UploadedBy); err != nil {
			return nil, err
		}
		s.UploadedAt = s.UploadedAt.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// ImportAdvisories stores advisories in one transaction.
func (db *DB) ImportAdvisories(ctx context.Context, advs []renkei.Advisory) (renkei.AdvisoryImport, error) {
	var res renkei.AdvisoryImport
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return res, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	err := db.write(ctx, func(t *tx) error {
		res = renkei.AdvisoryImport{}
		now := t.db.now()
		var changed []string
		for i := range advs {
			a := &advs[i]
			if a.ID == "" || a.Modified.IsZero() {
				return renkei.Errorf(renkei.EINVALID, "sbom.advisory_incomplete", a.ID)
			}
			var old time.Time
			err := t.queryRow(ctx, `SELECT modified FROM advisories WHERE id = ?`, a.ID).Scan(&old)
			exists := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if exists && !a.Modified.After(old) {
				res.Unchanged++
				continue
			}
			record, err := json.Marshal(a)
			if err != nil {
				return err
			}
			var withdrawn, published any
			if a.IsWithdrawn() {
				withdrawn = utc(a.Withdrawn)
			}
			if !a.Published.IsZero() {
				published = utc(a.Published)
			}
			changed = append(changed, a.ID)
			if exists {
				for _, q := range []string{`DELETE FROM advisory_aliases WHERE advisory_id = ?`, `DELETE FROM advisory_packages WHERE advisory_id = ?`} {
					if _, err := t.exec(ctx, q, a.ID); err != nil {
						return err
					}
				}
				if _, err := t.exec(ctx, `UPDATE advisories SET source = ?, modified = ?, published = ?, withdrawn = ?, summary = ?, severity = ?, record = ?, imported_at = ? WHERE id = ?`,
					a.Source, utc(a.Modified), published, withdrawn, a.Summary, a.MaxLevel(), string(record), now, a.ID); err != nil {
					return err
				}
				res.Replaced++
			} else {
				if _, err := t.exec(ctx, `INSERT INTO advisories (id, source, modified, published, withdrawn, summary, severity, record, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					a.ID, a.Source, utc(a.Modified), published, withdrawn, a.Summary, a.MaxLevel(), string(record), now); err != nil {
					return err
				}
				res.Added++
			}
			if a.IsWithdrawn() {
				res.Withdrawn++
				continue // a tombstone: no aliases, no packages, matches nothing
			}
			seen := map[string]bool{a.ID: true}
			var aliases [][]any
			for _, al := range a.Aliases {
				if al != "" && !seen[al] {
					seen[al] = true
					aliases = append(aliases, []any{al, a.ID})
				}
			}
			if err := t.insertRows(ctx, `INSERT INTO advisory_aliases (alias, advisory_id) VALUES `, 2, aliases); err != nil {
				return err
			}
			keys := map[[2]string]bool{}
			var pkgs [][]any
			for _, ap := range a.Affected {
				if ap.Ecosystem == "" || ap.Name == "" {
					continue
				}
				k := [2]string{renkei.BaseEcosystem(ap.Ecosystem), renkei.NormalizePackageName(ap.Ecosystem, ap.Name)}
				if !keys[k] {
					keys[k] = true
					pkgs = append(pkgs, []any{k[0], k[1], a.ID})
				}
			}
			if err := t.insertRows(ctx, `INSERT INTO advisory_packages (eco_key, pkg_name, advisory_id) VALUES `, 3, pkgs); err != nil {
				return err
			}
		}
		if err := t.vulnChanged(ctx, changeAdvisory, changed...); err != nil {
			return err
		}
		return t.audit(ctx, change{Action: "vulndb.import", ObjectType: "advisories",
			Detail: map[string]any{"added": res.Added, "replaced": res.Replaced, "unchanged": res.Unchanged, "withdrawn": res.Withdrawn}})
	})
	if err == nil && db.dialect == Postgres && res.Added+res.Replaced >= analyzeAfter {
		// A bulk import changes the tables' sizes by orders of
		// magnitude; without fresh statistics (autovacuum comes within
		// a minute or so) the planner may scan the advisories for each
		// lookup. Measured in docs/performance.md.
		_, err = db.exec(ctx, `ANALYZE advisories, advisory_aliases, advisory_packages`)
	}
	return res, err
}

// analyzeAfter is how many changed advisories make an import refresh
// PostgreSQL's statistics of the advisory tables.
const analyzeAfter = 1000

// ImportKEV replaces the KEV catalog.
func (db *DB) ImportKEV(ctx context.Context, entries []renkei.KEVEntry) error {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM kev_entries`); err != nil {
			return err
		}
		seen := map[string]bool{}
		var rows [][]any
		for _, e := range entries {
			if seen[e.CVE] {
				continue
			}
			seen[e.CVE] = true
			record, err := json.Marshal(e)
			if err != nil {
				return err
			}
			var due any
			if !e.DueDate.IsZero() {
				due = utc(e.DueDate)
			}
			rows = append(rows, []any{e.CVE, e.VendorProject, e.Product, e.Name, utc(e.DateAdded), due, e.KnownRansomware, string(record)})
		}
		if err := t.insertRows(ctx, `INSERT INTO kev_entries (cve_id, vendor_project, product, name, date_added, due_date, ransomware, record) VALUES `, 8, rows); err != nil {
			return err
		}
		if err := t.vulnChanged(ctx, changeKEV, ""); err != nil {
			return err
		}
		return t.audit(ctx, change{Action: "vulndb.kev_import", ObjectType: "kev", Detail: map[string]any{"entries": len(rows)}})
	})
}

// KEVEntry returns the catalog's entry for a CVE.
func (db *DB) KEVEntry(ctx context.Context, cve string) (*renkei.KEVEntry, error) {
	var record string
	if err := db.queryRow(ctx, `SELECT record FROM kev_entries WHERE cve_id = ?`, cve).Scan(&record); err != nil {
		return nil, notFound(err, "kev")
	}
	var e renkei.KEVEntry
	if err := json.Unmarshal([]byte(record), &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// Advisory returns a stored advisory (a withdrawn one too) by its ID.
func (db *DB) Advisory(ctx context.Context, id string) (*renkei.Advisory, error) {
	var record string
	if err := db.queryRow(ctx, `SELECT record FROM advisories WHERE id = ?`, id).Scan(&record); err != nil {
		return nil, notFound(err, "advisory")
	}
	var a renkei.Advisory
	if err := json.Unmarshal([]byte(record), &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// inLists calls fn with vals in chunks of inListSize, each padded to inListSize
// with its last value, and the placeholder list "?, ?, …".
func inLists(vals []string, fn func(ph string, args []any) error) error {
	ph := strings.TrimSuffix(strings.Repeat("?, ", inListSize), ", ")
	for len(vals) > 0 {
		n := min(len(vals), inListSize)
		args := make([]any, inListSize)
		for i := range inListSize {
			args[i] = vals[min(i, n-1)]
		}
		if err := fn(ph, args); err != nil {
			return err
		}
		vals = vals[n:]
	}
	return nil
}

// advisoriesFor loads the advisories (not withdrawn) that name one of the
// packages, by their key.
func (db *DB) advisoriesFor(ctx context.Context, keys map[[2]string]bool) ([]renkei.Advisory, error) {
	// By ecosystem, then names in batches: the lookups use the key's
	// index (eco_key, pkg_name).
	byEco := map[string][]string{}
	for k := range keys {
		byEco[k[0]] = append(byEco[k[0]], k[1])
	}
	ecos := make([]string, 0, len(byEco))
	for e := range byEco {
		ecos = append(ecos, e)
	}
	sortStrings(ecos)
	seen := map[string]bool{}
	var records []string
	for _, eco := range ecos {
		names := byEco[eco]
		sortStrings(names)
		err := inLists(names, func(ph string, args []any) error {
			rows, err := db.query(ctx, `SELECT a.id, a.record FROM advisory_packages p JOIN advisories a ON a.id = p.advisory_id
				WHERE p.eco_key = ? AND p.pkg_name IN (`+ph+`) AND a.withdrawn IS NULL`, append([]any{eco}, args...)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, record string
				if err := rows.Scan(&id, &record); err != nil {
					return err
				}
				if !seen[id] {
					seen[id] = true
					records = append(records, record)
				}
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	return decodeAdvisories(records)
}

// decodeAdvisories decodes stored records on every CPU: for a scan of
// many SBOMs, decoding thousands of records is a good part of the work.
func decodeAdvisories(records []string) ([]renkei.Advisory, error) {
	out := make([]renkei.Advisory, len(records))
	errs := make([]error, len(records))
	workers := min(runtime.GOMAXPROCS(0), len(records)/64+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(records); i += workers {
				errs[i] = json.Unmarshal([]byte(records[i]), &out[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// kevFor loads the KEV entries of the advisories' CVEs.
func (db *DB) kevFor(ctx context.Context, advs []renkei.Advisory) ([]renkei.KEVEntry, error) {
	seen := map[string]bool{}
	var cves []string
	for i := range advs {
		for _, c := range advs[i].CVEs() {
			if !seen[c] {
				seen[c] = true
				cves = append(cves, c)
			}
		}
	}
	var records []string
	err := inLists(cves, func(ph string, args []any) error {
		rows, err := db.query(ctx, `SELECT record FROM kev_entries WHERE cve_id IN (`+ph+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var record string
			if err := rows.Scan(&record); err != nil {
				return err
			}
			records = append(records, record)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return decodeKEV(records)
}

// match evaluates groups of components (by a name: an SBOM ID or a file)
// against the stored advisories of their packages. Findings come back in
// the groups' order of names given, each group's sorted by purl and
// advisory.
func (db *DB) match(ctx context.Context, names []string, groups map[string][]renkei.Component) ([]renkei.VulnFinding, error) {
	keys := map[[2]string]bool{}
	for _, comps := range groups {
		for _, c := range comps {
			if eco, name, ver := matchKey(c); eco != "" && ver != "" {
				keys[[2]string{eco, name}] = true
			}
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	advs, err := db.advisoriesFor(ctx, keys)
	if err != nil {
		return nil, err
	}
	if len(advs) == 0 {
		return nil, nil
	}
	kev, err := db.kevFor(ctx, advs)
	if err != nil {
		return nil, err
	}
	ix := osvmatch.NewIndex()
	ix.PutKEV(kev)
	for _, a := range advs {
		ix.PutAdvisory(a)
	}
	var out []renkei.VulnFinding
	for _, n := range names {
		out = append(out, ix.PutSBOM(n, groups[n])...)
	}
	return out, nil
}

// Match evaluates components against the stored advisories without
// storing anything. The data read is global; no organization is involved.
func (db *DB) Match(ctx context.Context, groups map[string][]renkei.Component) ([]renkei.VulnFinding, error) {
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sortStrings(names)
	return db.match(ctx, names, groups)
}

// FindingsForSBOM matches one stored SBOM of the organization now.
func (db *DB) FindingsForSBOM(ctx context.Context, orgID, sbomID string) ([]renkei.VulnFinding, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	var one int
	if err := db.queryRow(ctx, `SELECT 1 FROM sboms WHERE org_id = ? AND id = ?`, orgID, sbomID).Scan(&one); err != nil {
		return nil, notFound(err, "sbom")
	}
	if db.vix != nil {
		return db.vix.sbomFindings(ctx, sbomID)
	}
	rows, err := db.query(ctx, `SELECT `+refColumns+` FROM sbom_components c WHERE c.org_id = ? AND c.sbom_id = ? AND c.pkg_version <> '' ORDER BY c.idx`, orgID, sbomID)
	if err != nil {
		return nil, err
	}
	var comps []renkei.Component
	for rows.Next() {
		var purl, cpes, version string
		if err := rows.Scan(&purl, &cpes, &version); err != nil {
			rows.Close()
			return nil, err
		}
		comps = append(comps, renkei.Component{PURL: componentRef(purl, cpes, version)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return db.match(ctx, []string{sbomID}, map[string][]renkei.Component{sbomID: comps})
}

// AffectedByAdvisory lists the organization's components affected by the
// advisory with this ID, or by every advisory with this alias.
func (db *DB) AffectedByAdvisory(ctx context.Context, orgID, id string) ([]renkei.Affected, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	ids, err := db.advisoryIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	if db.vix != nil {
		return db.vix.byAdvisories(ctx, orgID, ids)
	}
	rows, err := db.query(ctx, `SELECT eco_key, pkg_name FROM advisory_packages WHERE advisory_id = ?
		UNION SELECT p.eco_key, p.pkg_name FROM advisory_aliases al JOIN advisory_packages p ON p.advisory_id = al.advisory_id WHERE al.alias = ?`, id, id)
	if err != nil {
		return nil, err
	}
	keys, err := packageKeys(rows)
	if err != nil || len(keys) == 0 {
		return nil, err // withdrawn, or naming no package: nothing affected
	}
	comps, err := db.orgComponents(ctx, orgID, keys, "")
	if err != nil {
		return nil, err
	}
	out, err := db.affected(ctx, comps)
	if err != nil {
		return nil, err
	}
	// Keep the advisory asked about (and those aliasing it) only.
	kept := out[:0]
	for _, f := range out {
		if slices.Contains(ids, f.AdvisoryID) {
			kept = append(kept, f)
		}
	}
	return kept, nil
}

// advisoryIDs resolves an advisory ID or alias to the stored advisories it
// names: the advisory itself and every advisory aliasing it. Neither
// stored is ENOTFOUND.
func (db *DB) advisoryIDs(ctx context.Context, id string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT id FROM advisories WHERE id = ? UNION SELECT advisory_id FROM advisory_aliases WHERE alias = ?`, id, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		ids = append(ids, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, renkei.Errorf(renkei.ENOTFOUND, "sbom.advisory_not_found", id)
	}
	return ids, nil
}

// AffectedByPURL lists the findings of the organization's components of the
// purl's package, at the purl's version when it has one.
func (db *DB) AffectedByPURL(ctx context.Context, orgID, purl string) ([]renkei.Affected, error) {
	eco, name, ver, err := purlQuery(ctx, orgID, purl)
	if err != nil {
		return nil, err
	}
	if db.vix != nil {
		return db.vix.byPackage(ctx, orgID, eco, name, ver)
	}
	comps, err := db.orgComponents(ctx, orgID, map[[2]string]bool{{eco, name}: true}, ver)
	if err != nil {
		return nil, err
	}
	return db.affected(ctx, comps)
}

// purlQuery checks a read of the organization's components of a purl's
// package and returns how matching keys it.
func purlQuery(ctx context.Context, orgID, purl string) (eco, name, version string, err error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return "", "", "", err
	}
	if eco, name, version = componentKey(purl); eco == "" {
		return "", "", "", renkei.Invalid(map[string]string{"purl": "sbom.purl_unmatched"})
	}
	return eco, name, version, nil
}

// orgComponent is one of the organization's components with its product.
type orgComponent struct {
	sbomID, purl                                  string
	productID, product, productVersion, partnerID string
}

// orgComponents loads the organization's components of the packages (at one
// version when version is not ""), with their products.
func (db *DB) orgComponents(ctx context.Context, orgID string, keys map[[2]string]bool, version string) ([]orgComponent, error) {
	var out []orgComponent
	for k := range keys {
		q := `SELECT c.sbom_id, ` + refColumns + `, p.id, p.name, p.version, p.partner_id
			FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id JOIN products p ON p.id = s.product_id
			WHERE c.pkg_key = ? AND c.org_id = ? AND c.eco_key = ? AND c.pkg_name = ? AND c.pkg_version <> '' AND s.org_id = ? AND p.org_id = ?`
		args := []any{packageKey(orgID, k[0], k[1]), orgID, k[0], k[1], orgID, orgID}
		if version != "" {
			q += ` AND c.pkg_version = ?`
			args = append(args, version)
		}
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c orgComponent
			var cpes, version string
			if err := rows.Scan(&c.sbomID, &c.purl, &cpes, &version, &c.productID, &c.product, &c.productVersion, &c.partnerID); err != nil {
				rows.Close()
				return nil, err
			}
			c.purl = componentRef(c.purl, cpes, version)
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// affected matches the distinct purls of the components once (the same
// component version in a thousand products is evaluated once) and gives
// each component holding an affected purl its findings.
func (db *DB) affected(ctx context.Context, comps []orgComponent) ([]renkei.Affected, error) {
	if len(comps) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	var distinct []renkei.Component
	for _, c := range comps {
		if !seen[c.purl] {
			seen[c.purl] = true
			distinct = append(distinct, renkei.Component{PURL: c.purl})
		}
	}
	findings, err := db.match(ctx, []string{""}, map[string][]renkei.Component{"": distinct})
	if err != nil || len(findings) == 0 {
		return nil, err
	}
	byPURL := map[string][]renkei.VulnFinding{}
	for _, f := range findings {
		byPURL[f.PURL] = append(byPURL[f.PURL], f)
	}
	type seenKey struct{ sbom, purl string }
	done := map[seenKey]bool{}
	var out []renkei.Affected
	for _, c := range comps {
		fs := byPURL[c.purl]
		if len(fs) == 0 || done[seenKey{c.sbomID, c.purl}] {
			continue
		}
		done[seenKey{c.sbomID, c.purl}] = true
		for _, f := range fs {
			f.SBOMID = c.sbomID
			out = append(out, renkei.Affected{ProductID: c.productID, Product: c.product, Version: c.productVersion, PartnerID: c.partnerID, VulnFinding: f})
		}
	}
	sortAffected(out)
	return out, nil
}

func sortStrings(s []string) { slices.Sort(s) }

// sortAffected orders findings by product, version, partner, SBOM, purl
// and advisory, so that output is stable. It sorts positions, then moves
// each finding once, in place: a finding is a large struct, and an
// advisory of a popular package has thousands.
func sortAffected(out []renkei.Affected) {
	pos := make([]int32, len(out))
	for i := range pos {
		pos[i] = int32(i)
	}
	slices.SortFunc(pos, func(i, j int32) int {
		a, b := &out[i], &out[j]
		return cmp.Or(
			strings.Compare(a.Product, b.Product), strings.Compare(a.Version, b.Version),
			strings.Compare(a.PartnerID, b.PartnerID), strings.Compare(a.SBOMID, b.SBOMID),
			strings.Compare(a.PURL, b.PURL), strings.Compare(a.AdvisoryID, b.AdvisoryID))
	})
	// Apply the permutation in place, cycle by cycle: out[i] becomes
	// out[pos[i]]; a done place is marked -1.
	for i := range out {
		if pos[i] < 0 {
			continue
		}
		first, j := out[i], i
		for {
			k := int(pos[j])
			pos[j] = -1
			if k == i {
				out[j] = first
				break
			}
			out[j], j = out[k], k
		}
	}
}

// packageKeys reads (eco_key, pkg_name) rows into a set, closing rows.
func packageKeys(rows *sql.Rows) (map[[2]string]bool, error) {
	defer rows.Close()
	keys := map[[2]string]bool{}
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			return nil, err
		}
		keys[k] = true
	}
	return keys, rows.Err()
}
