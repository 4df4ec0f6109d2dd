package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sbomfile"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/vulnfile"
)

// fileError is an error about one file given on the command line: it is
// printed after the path, so that the message says where.
type fileError struct {
	path string
	err  error
}

func (e fileError) Error() string { return e.path + ": " + errText(e.err) }
func (e fileError) Unwrap() error { return e.err }

// errText renders an error in English, a coded one from the catalog.
func errText(err error) string {
	var ce *renkei.Error
	if errors.As(err, &ce) {
		return describe(ce)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error() // the path is already in front
	}
	return err.Error()
}

// vulndbImport reads OSV (file, directory, zip), CSAF and KEV files and
// stores them. Every file is read and checked before anything is stored:
// a bad file changes nothing.
func (c *cli) vulndbImport(args []string) error {
	f := c.flags("vulndb import")
	dsn := f.dbFlag()
	skipInvalid := f.Bool("skip-invalid", false, "import the readable records of a directory or zip and list the others, instead of importing nothing")
	paths, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError{"vulndb import needs at least one PATH"}
	}
	var advs []renkei.Advisory
	var kev []renkei.KEVEntry
	haveKEV, vexSkipped, skipped := false, 0, 0
	for _, p := range paths {
		var bad []vulnfile.Record
		collect := func(r vulnfile.Record) error {
			if r.Err != nil {
				bad = append(bad, r)
				return nil
			}
			advs = append(advs, r.Advisory)
			return nil
		}
		st, err := os.Stat(p)
		if err != nil {
			return fileError{p, err}
		}
		if st.IsDir() {
			if err := vulnfile.ReadOSVDir(p, collect); err != nil {
				return fileError{p, err}
			}
		} else {
			kind, err := importVulnFile(p, collect, &kev, &vexSkipped)
			if err != nil {
				return fileError{p, err}
			}
			if kind == vulnfile.KindKEV {
				haveKEV = true
			}
		}
		if len(bad) > 0 {
			if !*skipInvalid {
				return fileError{p, renkei.Errorf(renkei.EINVALID, "sbom.vulndb_records_invalid", p, len(bad), bad[0].Name+": "+errText(bad[0].Err))}
			}
			for _, r := range bad {
				fmt.Fprintf(c.stderr, "renkei: %s: skipped %s: %s\n", p, r.Name, errText(r.Err))
			}
			skipped += len(bad)
		}
	}
	db, err := c.openDB(*dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := renkei.WithActor(c.ctx, c.system())
	res, err := db.ImportAdvisories(ctx, advs)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "advisories: %d read, %d added, %d replaced, %d unchanged, %d withdrawn, %d skipped\n",
		len(advs), res.Added, res.Replaced, res.Unchanged, res.Withdrawn, skipped)
	if haveKEV {
		if err := db.ImportKEV(ctx, kev); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "kev: %d entries\n", len(kev))
	}
	if vexSkipped > 0 {
		fmt.Fprintf(c.stdout, "vex: %d CSAF VEX statement(s) not stored (VEX is stated per organization)\n", vexSkipped)
	}
	return nil
}

// importVulnFile reads one file whose kind is told by its content.
func importVulnFile(p string, collect func(vulnfile.Record) error, kev *[]renkei.KEVEntry, vexSkipped *int) (string, error) {
	fh, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return "", err
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(fh, head)
	if kind, _ := vulnfile.Detect(head[:n]); kind == vulnfile.KindZip {
		return kind, vulnfile.ReadOSVZip(fh, st.Size(), collect)
	}
	if st.Size() > vulnfile.MaxDocumentBytes {
		return "", renkei.Errorf(renkei.ETOOLARGE, "vulnfile.too_large", "64 MiB")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	kind, err := vulnfile.Detect(b)
	if err != nil {
		return "", err
	}
	switch kind {
	case vulnfile.KindOSV:
		a, err := vulnfile.ParseOSV(p, b)
		if err != nil {
			return kind, err
		}
		return kind, collect(vulnfile.Record{Name: p, Advisory: a})
	case vulnfile.KindCSAF:
		r, err := vulnfile.ParseCSAF(b)
		if err != nil {
			return kind, err
		}
		for _, a := range r.Advisories {
			if err := collect(vulnfile.Record{Name: p, Advisory: a}); err != nil {
				return kind, err
			}
		}
		*vexSkipped += len(r.VEX)
		return kind, nil
	case vulnfile.KindKEV:
		cat, err := vulnfile.ParseKEV(b)
		if err != nil {
			return kind, err
		}
		*kev = append(*kev, cat.Entries...)
		return kind, nil
	}
	return kind, renkei.Errorf(renkei.EINVALID, "sbom.vulndb_kind", p, kind)
}

// parseSBOMFiles reads every file before anything is stored or matched,
// on every CPU; errors and warnings are reported in the order of the files.
func (c *cli) parseSBOMFiles(paths []string) ([]renkei.SBOMUpload, error) {
	type parsed struct {
		res *sbomfile.Result
		err error
	}
	results := make([]parsed, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i].res, results[i].err = parseSBOMFile(paths[i], nil)
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	out := make([]renkei.SBOMUpload, 0, len(paths))
	for i, p := range paths {
		if results[i].err != nil {
			return nil, results[i].err
		}
		c.printWarnings(p, results[i].res)
		out = append(out, renkei.SBOMUpload{FileName: p, SBOM: results[i].res.SBOM})
	}
	return out, nil
}

func (c *cli) sbomImport(args []string) error {
	f := c.flags("sbom import")
	dsn := f.dbFlag()
	orgSlug := f.String("org", "", "organization slug")
	partner := f.String("partner", "", "partner ID (omit for the organization's own product)")
	product := f.String("product", "", "product name")
	version := f.String("version", "", "product version")
	paths, err := f.parse(args)
	if err != nil {
		return err
	}
	if *orgSlug == "" {
		return usageError{"--org is required"}
	}
	if len(paths) == 0 {
		return usageError{"sbom import needs at least one FILE"}
	}
	p := &renkei.Product{PartnerID: *partner, Name: *product, Version: *version}
	if err := p.Validate(); err != nil {
		return err
	}
	// A one-shot command that holds whole SBOMs in memory (at most
	// renkei.MaxSBOMBytes each): collecting less often while the heap
	// grows from nothing saves about a fifth of the parse.
	debug.SetGCPercent(400)
	db, org, err := c.openOrg(*dsn, *orgSlug)
	if err != nil {
		return err
	}
	defer db.Close()
	p.OrgID = org.ID
	ctx := renkei.WithActor(c.ctx, c.system())
	// Each file is parsed while it is stored: the store writes the
	// components read so far while later ones are decoded on the other
	// processors. Its findings are then counted from the components in
	// hand, on another connection, while the import finishes: the same
	// match as reading the stored SBOMs back, without reading them.
	results := make([]*sbomfile.Result, len(paths))
	counts := make([]int, len(paths))
	matchErrs := make([]error, len(paths))
	var matching sync.WaitGroup
	streams := make([]sqlstore.SBOMStream, len(paths))
	for i, path := range paths {
		streams[i] = sqlstore.SBOMStream{FileName: path, Read: func(give func([]renkei.Component) error) (*renkei.SBOM, error) {
			res, err := parseSBOMFile(path, give)
			if err != nil {
				return nil, err
			}
			results[i] = res
			matching.Go(func() {
				fs, err := db.Match(ctx, map[string][]renkei.Component{path: res.SBOM.Components})
				counts[i], matchErrs[i] = len(fs), err
			})
			return res.SBOM, nil
		}}
	}
	stored, err := db.ImportSBOMStreams(ctx, p, streams)
	matching.Wait()
	if err != nil {
		return err
	}
	findings, comps := 0, 0
	for i, s := range stored {
		if matchErrs[i] != nil {
			return matchErrs[i]
		}
		c.printWarnings(paths[i], results[i])
		findings += counts[i]
		comps += s.ComponentCount
	}
	fmt.Fprintf(c.stdout, "imported %d SBOM(s), %d components for %s %s (product %s); %d finding(s)\n",
		len(stored), comps, p.Name, p.Version, p.ID, findings)
	return nil
}

// printWarnings prints what the parser noticed in a file without
// refusing it.
func (c *cli) printWarnings(path string, res *sbomfile.Result) {
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "renkei: %s: warning: %s\n", path, i18n.T("en", w.Key, w.Args...))
	}
}

// parseSBOMFile reads and parses one file, giving its components to give
// as they are read; errors name the file.
func parseSBOMFile(path string, give func([]renkei.Component) error) (*sbomfile.Result, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fileError{path, err}
	}
	defer fh.Close()
	b, err := sbomfile.Limits{}.Read(fh)
	if err != nil {
		return nil, fileError{path, err}
	}
	res, err := sbomfile.Limits{}.ParseStream(b, give)
	if err != nil {
		return nil, fileError{path, err}
	}
	return res, nil
}

// affectedLine is one line of `sbom affected`.
type affectedLine struct {
	Product          string `json:"product"`
	Version          string `json:"version"`
	Partner          string `json:"partner"`
	ProductID        string `json:"product_id"`
	SBOM             string `json:"sbom"`
	PURL             string `json:"purl"`
	Component        string `json:"component"`
	ComponentVersion string `json:"component_version"`
	Ecosystem        string `json:"ecosystem"`
	Advisory         string `json:"advisory"`
	Fixed            string `json:"fixed"`
	Severity         string `json:"severity"`
	KEV              bool   `json:"kev"`
}

func (c *cli) sbomAffected(args []string) error {
	f := c.flags("sbom affected")
	dsn := f.dbFlag()
	orgSlug := f.String("org", "", "organization slug")
	advisory := f.String("advisory", "", "advisory ID or alias (OSV, GHSA, CVE, CSAF tracking ID)")
	purl := f.String("purl", "", "package URL (or a CPE, for products matched by CPE), with or without a version")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *orgSlug == "" {
		return usageError{"--org is required"}
	}
	if (*advisory == "") == (*purl == "") {
		return usageError{"give exactly one of --advisory and --purl"}
	}
	db, org, err := c.openOrg(*dsn, *orgSlug)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := renkei.WithActor(c.ctx, c.system())
	var list []renkei.Affected
	if *advisory != "" {
		list, err = db.AffectedByAdvisory(ctx, org.ID, *advisory)
	} else {
		list, err = db.AffectedByPURL(ctx, org.ID, *purl)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	for _, a := range list {
		if err := enc.Encode(affectedLine{
			Product: a.Product, Version: a.Version, Partner: a.PartnerID, ProductID: a.ProductID, SBOM: a.SBOMID,
			PURL: a.PURL, Component: a.Package, ComponentVersion: a.VulnFinding.Version, Ecosystem: a.Ecosystem,
			Advisory: a.AdvisoryID, Fixed: a.Fixed, Severity: a.Level, KEV: a.KEV,
		}); err != nil {
			return err
		}
	}
	return nil
}

// scanLine is one line of `sbom scan`.
type scanLine struct {
	File      string `json:"file"`
	PURL      string `json:"purl"`
	Component string `json:"component"`
	Version   string `json:"version"`
	Ecosystem string `json:"ecosystem"`
	Advisory  string `json:"advisory"`
	Fixed     string `json:"fixed"`
	Severity  string `json:"severity"`
	KEV       bool   `json:"kev"`
}

// sbomScan matches SBOM files against the stored vulnerability data
// without storing them.
func (c *cli) sbomScan(args []string) error {
	f := c.flags("sbom scan")
	dsn := f.dbFlag()
	paths, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usageError{"sbom scan needs at least one FILE"}
	}
	uploads, err := c.parseSBOMFiles(paths)
	if err != nil {
		return err
	}
	db, err := c.openDB(*dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return c.scan(db, uploads)
}

func (c *cli) scan(db *sqlstore.DB, uploads []renkei.SBOMUpload) error {
	groups := map[string][]renkei.Component{}
	for _, u := range uploads {
		groups[u.FileName] = append(groups[u.FileName], u.SBOM.Components...)
	}
	findings, err := db.Match(c.ctx, groups)
	if err != nil {
		return err
	}
	// Files in the order given.
	byFile := map[string][]renkei.VulnFinding{}
	for _, f := range findings {
		byFile[f.SBOMID] = append(byFile[f.SBOMID], f)
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	done := map[string]bool{}
	for _, u := range uploads {
		if done[u.FileName] {
			continue
		}
		done[u.FileName] = true
		for _, f := range byFile[u.FileName] {
			if err := enc.Encode(scanLine{
				File: u.FileName, PURL: f.PURL, Component: f.Package, Version: f.Version, Ecosystem: f.Ecosystem,
				Advisory: f.AdvisoryID, Fixed: f.Fixed, Severity: f.Level, KEV: f.KEV,
			}); err != nil {
				return err
			}
		}
	}
	return nil
}
