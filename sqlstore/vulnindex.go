package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/osvmatch"
)

// The portfolio's index: every organization's components and every
// advisory, held in memory by a long-running process (renkei serve) so
// that an advisory's affected products, a purl search and the portfolio's
// findings are read from memory instead of matched per query.
//
// The database stays the authority. Before each answer the index reads
// the vuln_changes rows after the last it applied (one indexed query) and
// reloads what they name: a product's SBOMs, an advisory, the KEV
// catalog. So a change made through any replica is in every replica's
// next answer, as the issue asks, and a replica that starts loads the
// database as it stands. Without the index (the CLI's one-shot commands,
// DB.KeepVulnIndex not called) the same reads are computed by SQL; the
// two paths are compared in tests.

// vulnIndex is the index with what it needs to answer per organization.
type vulnIndex struct {
	db *DB
	// ixp is the index; it is replaced whole when everything is loaded
	// again (reload), so a reader takes it once per read (index).
	ixp atomic.Pointer[osvmatch.Index]

	mu     sync.Mutex // one load or catch-up at a time
	loaded bool
	seq    int64 // the last vuln_changes row applied

	metaMu   sync.RWMutex
	sboms    map[string]sbomMeta // SBOM ID → its product
	products map[string][]string // product ID → its SBOM IDs

	// Figures of the last full load, for the log and the benchmarks.
	stats VulnIndexStats
}

// sbomMeta is what a finding needs of an SBOM's product, and whose it is.
type sbomMeta struct {
	orgID, productID, product, version, partnerID string
}

// VulnIndexStats describes the last full load of the index.
type VulnIndexStats struct {
	SBOMs, Components, Advisories int
	// Components is the time to read and index every component,
	// Advisories the time to read every advisory and match it against
	// the components held: a re-match of the whole portfolio.
	ComponentsTook, AdvisoriesTook time.Duration
}

// KeepVulnIndex makes the store answer the portfolio's SBOM reads from an
// index in memory, loaded on first use (or by WarmVulnIndex) and kept
// current from the database's change log. Call it before serving.
func (db *DB) KeepVulnIndex() {
	if db.vix == nil {
		db.vix = newVulnIndex(db)
	}
}

func newVulnIndex(db *DB) *vulnIndex {
	v := &vulnIndex{db: db, sboms: map[string]sbomMeta{}, products: map[string][]string{}}
	v.ixp.Store(osvmatch.NewIndex())
	return v
}

// index returns the index as it is now.
func (v *vulnIndex) index() *osvmatch.Index { return v.ixp.Load() }

// WarmVulnIndex loads the index now, so that the first reader does not
// wait for it, and returns the load's figures.
func (db *DB) WarmVulnIndex(ctx context.Context) (VulnIndexStats, error) {
	if db.vix == nil {
		return VulnIndexStats{}, errors.New("sqlstore: the vulnerability index is not kept")
	}
	if err := db.vix.current(ctx); err != nil {
		return VulnIndexStats{}, err
	}
	db.vix.mu.Lock()
	defer db.vix.mu.Unlock()
	return db.vix.stats, nil
}

// current brings the index up to the database: the full load the first
// time, then the changes since the last call.
func (v *vulnIndex) current(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.loaded {
		if err := v.load(ctx); err != nil {
			return err
		}
		v.loaded = true
	}
	return v.catchUp(ctx)
}

// load reads everything. The change log's head is read first: whatever
// commits while the tables are read is in a later row, applied again by
// the catch-up that follows (every change is applied by reading the
// database, so applying one twice is harmless).
func (v *vulnIndex) load(ctx context.Context) error {
	db := v.db
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM vuln_changes`).Scan(&v.seq); err != nil {
		return err
	}
	if err := v.reloadKEV(ctx); err != nil {
		return err
	}
	start := time.Now()
	metas, err := v.readMetas(ctx, ``)
	if err != nil {
		return err
	}
	v.index().StartLoad()
	n, err := v.loadComponents(ctx, `SELECT c.sbom_id, `+refColumns+` FROM sbom_components c WHERE c.pkg_version <> '' ORDER BY c.sbom_id, c.idx`, nil, metas)
	v.index().EndLoad()
	if err != nil {
		return err
	}
	v.stats = VulnIndexStats{SBOMs: len(metas), Components: n, ComponentsTook: time.Since(start)}
	start = time.Now()
	advs, err := v.loadAdvisories(ctx, `SELECT record FROM advisories WHERE withdrawn IS NULL`, nil)
	if err != nil {
		return err
	}
	v.stats.Advisories, v.stats.AdvisoriesTook = advs, time.Since(start)
	return nil
}

// readMetas reads the SBOMs' products, of every SBOM or of those the
// condition selects.
func (v *vulnIndex) readMetas(ctx context.Context, where string, args ...any) (map[string]sbomMeta, error) {
	rows, err := v.db.query(ctx, `SELECT s.id, s.org_id, p.id, p.name, p.version, p.partner_id FROM sboms s JOIN products p ON p.id = s.product_id`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	metas := map[string]sbomMeta{}
	for rows.Next() {
		var id string
		var m sbomMeta
		if err := rows.Scan(&id, &m.orgID, &m.productID, &m.product, &m.version, &m.partnerID); err != nil {
			return nil, err
		}
		metas[id] = m
	}
	return metas, rows.Err()
}

// loadComponents reads (sbom_id, refColumns) rows ordered by SBOM and puts each
// SBOM whose product is in metas into the index. It returns the number
// of components read.
func (v *vulnIndex) loadComponents(ctx context.Context, q string, args []any, metas map[string]sbomMeta) (int, error) {
	rows, err := v.db.query(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	cur := ""
	var comps []renkei.Component
	flush := func() {
		if m, ok := metas[cur]; ok && cur != "" {
			v.index().LoadSBOM(cur, comps, &m)
			v.setMeta(cur, m)
		}
		comps = comps[:0]
	}
	for rows.Next() {
		var id, purl, cpes, version string
		if err := rows.Scan(&id, &purl, &cpes, &version); err != nil {
			return n, err
		}
		if id != cur {
			flush()
			cur = id
		}
		comps = append(comps, renkei.Component{PURL: componentRef(purl, cpes, version)})
		n++
	}
	flush()
	// SBOMs without a component of an ecosystem still belong to their
	// product, so that a later reload removes them.
	for id, m := range metas {
		v.setMeta(id, m)
	}
	return n, rows.Err()
}

func (v *vulnIndex) setMeta(sbomID string, m sbomMeta) {
	v.metaMu.Lock()
	defer v.metaMu.Unlock()
	if _, ok := v.sboms[sbomID]; !ok {
		v.products[m.productID] = append(v.products[m.productID], sbomID)
	}
	v.sboms[sbomID] = m
}

// advisoryBatch is how many stored records are decoded at a time when
// loading, so that the JSON of 100,000 advisories is never held at once.
const advisoryBatch = 2000

// loadAdvisories reads record rows and puts each advisory into the index
// (a withdrawn one as a tombstone, which removes the copy held).
func (v *vulnIndex) loadAdvisories(ctx context.Context, q string, args []any) (int, error) {
	rows, err := v.db.query(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var records []string
	put := func() error {
		advs, err := decodeAdvisories(records)
		if err != nil {
			return err
		}
		for _, a := range advs {
			// Findings need the ranges, severities and aliases; the
			// references and remediations stay in the database.
			a.Summary, a.References, a.Remediations = "", nil, nil
			v.index().LoadAdvisory(a)
		}
		n += len(advs)
		records = records[:0]
		return nil
	}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return n, err
		}
		if records = append(records, r); len(records) == advisoryBatch {
			if err := put(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, put()
}

func (v *vulnIndex) reloadKEV(ctx context.Context) error {
	rows, err := v.db.query(ctx, `SELECT record FROM kev_entries`)
	if err != nil {
		return err
	}
	var records []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		records = append(records, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	entries, err := decodeKEV(records)
	if err != nil {
		return err
	}
	v.index().SetKEV(entries)
	return nil
}

// catchUp applies the change rows after the last applied. The sequence
// moves only when every change read has been applied, so a failure is
// retried by the next reader.
func (v *vulnIndex) catchUp(ctx context.Context) error {
	rows, err := v.db.query(ctx, `SELECT seq, kind, ref FROM vuln_changes WHERE seq > ? ORDER BY seq`, v.seq)
	if err != nil {
		return err
	}
	last := v.seq
	products, advisories, kev := map[string]bool{}, map[string]bool{}, false
	for rows.Next() {
		var kind, ref string
		prev := last
		if err := rows.Scan(&last, &kind, &ref); err != nil {
			rows.Close()
			return err
		}
		if last != prev+1 {
			// Rows this index never applied were pruned
			// (PruneVulnChanges): it can no longer tell what
			// changed, so it loads everything again.
			rows.Close()
			return v.reload(ctx)
		}
		switch kind {
		case changeProduct:
			products[ref] = true
		case changeAdvisory:
			advisories[ref] = true
		case changeKEV:
			kev = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if last == v.seq {
		return nil
	}
	if kev {
		if err := v.reloadKEV(ctx); err != nil {
			return err
		}
	}
	for id := range products {
		if err := v.reloadProduct(ctx, id); err != nil {
			return err
		}
	}
	ids := make([]string, 0, len(advisories))
	for id := range advisories {
		ids = append(ids, id)
	}
	err = inLists(ids, func(ph string, args []any) error {
		_, err := v.loadAdvisories(ctx, `SELECT record FROM advisories WHERE id IN (`+ph+`)`, args)
		return err
	})
	if err != nil {
		return err
	}
	v.seq = last
	return nil
}

// reload loads the database again into a new index, and then puts it in
// place of the one held, which readers keep using until then.
func (v *vulnIndex) reload(ctx context.Context) error {
	fresh := newVulnIndex(v.db)
	if err := fresh.load(ctx); err != nil {
		return err
	}
	v.metaMu.Lock()
	v.sboms, v.products = fresh.sboms, fresh.products
	v.ixp.Store(fresh.index())
	v.metaMu.Unlock()
	v.seq, v.stats = fresh.seq, fresh.stats
	return v.catchUp(ctx)
}

// reloadProduct replaces the product's SBOMs in the index with those
// stored now.
func (v *vulnIndex) reloadProduct(ctx context.Context, productID string) error {
	metas, err := v.readMetas(ctx, ` WHERE p.id = ? AND s.org_id = p.org_id`, productID)
	if err != nil {
		return err
	}
	v.metaMu.Lock()
	old := v.products[productID]
	delete(v.products, productID)
	for _, id := range old {
		delete(v.sboms, id)
	}
	v.metaMu.Unlock()
	for _, id := range old {
		v.index().RemoveSBOM(id)
	}
	_, err = v.loadComponents(ctx, `SELECT c.sbom_id, `+refColumns+` FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id
		WHERE s.product_id = ? AND c.org_id = s.org_id AND c.pkg_version <> '' ORDER BY c.sbom_id, c.idx`, []any{productID}, metas)
	return err
}

// keep says which SBOMs a read may see: the organization's, and only one
// partner's when partnerID is not "".
func (v *vulnIndex) keep(orgID, partnerID string) func(string) bool {
	return func(sbomID string) bool {
		v.metaMu.RLock()
		m, ok := v.sboms[sbomID]
		v.metaMu.RUnlock()
		return ok && m.orgID == orgID && (partnerID == "" || m.partnerID == partnerID)
	}
}

// affected gives findings their products, sorted as the SQL path sorts.
func (v *vulnIndex) affected(fs []renkei.VulnFinding) []renkei.Affected {
	if len(fs) == 0 {
		return nil
	}
	out := make([]renkei.Affected, 0, len(fs))
	v.metaMu.RLock()
	for _, f := range fs {
		m := v.sboms[f.SBOMID]
		out = append(out, renkei.Affected{ProductID: m.productID, Product: m.product, Version: m.version, PartnerID: m.partnerID, VulnFinding: f})
	}
	v.metaMu.RUnlock()
	sortAffected(out)
	return out
}

// findings is every finding of the organization (of one partner when
// partnerID is not "").
func (v *vulnIndex) findings(ctx context.Context, orgID, partnerID string) ([]renkei.Affected, error) {
	if err := v.current(ctx); err != nil {
		return nil, err
	}
	return v.affected(v.index().FindingsWhere(v.keep(orgID, partnerID))), nil
}

// findingList lists the organization's findings in two passes, so that a
// page of a portfolio with millions of findings costs what the findings
// cost to count, not to build and sort. The first visits only the
// affected versions: it counts every finding (per product, known
// exploited) and the selected ones per SBOM. The second walks, in list
// order (product, version, partner, SBOM; then purl and advisory within
// an SBOM), only the SBOMs whose selected findings reach the page.
func (v *vulnIndex) findingList(ctx context.Context, orgID string, q renkei.FindingQuery) (*renkei.FindingList, error) {
	if err := v.current(ctx); err != nil {
		return nil, err
	}
	type owned struct {
		id       string
		m        sbomMeta
		selected int
	}
	var sboms []*owned
	v.metaMu.RLock()
	for id, m := range v.sboms {
		if m.orgID == orgID {
			sboms = append(sboms, &owned{id: id, m: m})
		}
	}
	v.metaMu.RUnlock()
	slices.SortFunc(sboms, func(a, b *owned) int {
		return cmp.Or(strings.Compare(a.m.product, b.m.product), strings.Compare(a.m.version, b.m.version),
			strings.Compare(a.m.partnerID, b.m.partnerID), strings.Compare(a.id, b.id))
	})
	byID := make(map[string]*owned, len(sboms))
	for _, s := range sboms {
		byID[s.id] = s
	}
	affected := func(s *owned, r osvmatch.FindingRef) renkei.Affected {
		return renkei.Affected{ProductID: s.m.productID, Product: s.m.product, Version: s.m.version, PartnerID: s.m.partnerID, VulnFinding: r.Build()}
	}
	selects := func(s *owned, kev bool) bool {
		return (q.PartnerID == "" || s.m.partnerID == q.PartnerID) && (q.ProductID == "" || s.m.productID == q.ProductID) && (!q.KEVOnly || kev)
	}
	counts := &renkei.FindingList{PerProduct: map[string]int{}}
	v.index().EachFinding(func(sbomID string, r osvmatch.FindingRef) {
		s := byID[sbomID]
		if s == nil {
			return // another organization's
		}
		kev := r.KEV()
		counts.Total++
		counts.PerProduct[s.m.productID]++
		if kev {
			counts.KEV++
		}
		if selects(s, kev) {
			if q.Keep != nil {
				if f := affected(s, r); !q.Keep(&f, r.Aliases()) {
					return
				}
			}
			s.selected++
		}
	})
	// The page: skip the SBOMs whose selected findings all come before
	// it, then list from the first that reaches it.
	first, before := len(sboms), 0
	for i, s := range sboms {
		counts.Listed += s.selected
		if first == len(sboms) && before+s.selected > q.Offset {
			first = i
		} else if first == len(sboms) {
			before += s.selected
		}
	}
	page := q
	page.PartnerID, page.ProductID, page.KEVOnly, page.Offset = "", "", false, q.Offset-before
	pager := renkei.NewFindingPager(page)
	for _, s := range sboms[first:] {
		if q.Limit > 0 && len(pager.List().Items) >= q.Limit {
			break
		}
		if s.selected == 0 {
			continue
		}
		v.index().EachSBOMFinding(s.id, func(r osvmatch.FindingRef) {
			if selects(s, r.KEV()) {
				pager.AddLazy(s.m.productID, s.m.partnerID, false, func() renkei.Affected { return affected(s, r) }, r.Aliases)
			}
		})
	}
	list := pager.List()
	counts.Items = list.Items
	return counts, nil
}

// byPackage is the findings of the organization's components of a
// package (at a version when version is not "").
func (v *vulnIndex) byPackage(ctx context.Context, orgID, eco, name, version string) ([]renkei.Affected, error) {
	if err := v.current(ctx); err != nil {
		return nil, err
	}
	return orgFindings(orgID, func(fn func(string, osvmatch.FindingRef)) { v.index().EachPackageFinding(eco, name, version, fn) }), nil
}

// byAdvisories is the organization's findings of these advisories.
func (v *vulnIndex) byAdvisories(ctx context.Context, orgID string, ids []string) ([]renkei.Affected, error) {
	if err := v.current(ctx); err != nil {
		return nil, err
	}
	return orgFindings(orgID, func(fn func(string, osvmatch.FindingRef)) {
		for _, id := range ids {
			v.index().EachAdvisoryFinding(id, fn)
		}
	}), nil
}

// orgFindings builds the organization's findings among those visit visits,
// sorted. It visits twice, counting first, so that the answer is
// allocated once at its size: the answer is most of what a read
// allocates, and what a read allocates decides how often the collector
// must mark the whole index. Each SBOM's product is its tag in the index.
func orgFindings(orgID string, visit func(fn func(string, osvmatch.FindingRef))) []renkei.Affected {
	ours := func(r osvmatch.FindingRef) *sbomMeta {
		if m, ok := r.Tag().(*sbomMeta); ok && m.orgID == orgID {
			return m
		}
		return nil
	}
	n := 0
	visit(func(_ string, r osvmatch.FindingRef) {
		if ours(r) != nil {
			n++
		}
	})
	out := make([]renkei.Affected, 0, n)
	visit(func(_ string, r osvmatch.FindingRef) {
		if m := ours(r); m != nil {
			out = append(out, renkei.Affected{ProductID: m.productID, Product: m.product, Version: m.version, PartnerID: m.partnerID, VulnFinding: r.Build()})
		}
	})
	sortAffected(out)
	return out
}

// uses is the organization's components of a package.
func (v *vulnIndex) uses(ctx context.Context, orgID, eco, name, version string) ([]renkei.ComponentUse, error) {
	if err := v.current(ctx); err != nil {
		return nil, err
	}
	us := v.index().PackageUses(eco, name, version, v.keep(orgID, ""))
	out := make([]renkei.ComponentUse, 0, len(us))
	v.metaMu.RLock()
	for _, u := range us {
		m := v.sboms[u.SBOMID]
		out = append(out, renkei.ComponentUse{ProductID: m.productID, Product: m.product, Version: m.version,
			PartnerID: m.partnerID, SBOMID: u.SBOMID, PURL: u.PURL})
	}
	v.metaMu.RUnlock()
	sortUses(out)
	return out, nil
}

// sbomFindings is one SBOM's findings; the caller has checked that the
// SBOM is the organization's.
func (v *vulnIndex) sbomFindings(ctx context.Context, sbomID string) ([]renkei.VulnFinding, error) {
	if err := v.current(ctx); err != nil {
		return nil, err
	}
	return v.index().FindingsForSBOM(sbomID), nil
}

func decodeKEV(records []string) ([]renkei.KEVEntry, error) {
	out := make([]renkei.KEVEntry, len(records))
	for i, r := range records {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sortUses orders component uses by product, version, partner, SBOM and
// purl, so that both paths list them alike.
func sortUses(us []renkei.ComponentUse) {
	slices.SortFunc(us, func(a, b renkei.ComponentUse) int {
		return cmp.Or(strings.Compare(a.Product, b.Product), strings.Compare(a.Version, b.Version),
			strings.Compare(a.PartnerID, b.PartnerID), strings.Compare(a.SBOMID, b.SBOMID), strings.Compare(a.PURL, b.PURL))
	})
}
