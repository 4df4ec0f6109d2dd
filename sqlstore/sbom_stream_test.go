package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// An SBOM stored while it is read: batches keep their order and numbers,
// and a read that fails after batches were written stores nothing at all —
// not the product, the SBOM or a component.
func TestImportSBOMStreams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := storetest.System()
		org := storetest.Org(t, db, "A")
		importAdvisories(t, db, npmAdvisory("GHSA-stream", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "lib-7", "0", "2.0.0"))
		var all []renkei.Component
		for i := range 25 {
			all = append(all, renkei.Component{BOMRef: fmt.Sprintf("c%d", i), PURL: fmt.Sprintf("pkg:npm/lib-%d@1.%d.0", i, i)})
		}
		sbom := &renkei.SBOM{Format: renkei.FormatCycloneDXJSON, SpecVersion: "1.6", Name: "app", Components: all}
		inBatches := func(fail error) sqlstore.SBOMStream {
			return sqlstore.SBOMStream{FileName: "app.cdx.json", Read: func(give func([]renkei.Component) error) (*renkei.SBOM, error) {
				for i := 0; i < len(all); i += 10 {
					if err := give(all[i:min(i+10, len(all))]); err != nil {
						return nil, err
					}
				}
				return sbom, fail
			}}
		}

		broken := errors.New("line 9000: not a string")
		p := &renkei.Product{OrgID: org.ID, Name: "app", Version: "1"}
		if _, err := db.ImportSBOMStreams(sys, p, []sqlstore.SBOMStream{inBatches(broken)}); !errors.Is(err, broken) {
			t.Fatalf("a failed read: %v", err)
		}
		if ps, err := db.Products(sys, org.ID); err != nil || len(ps) != 0 {
			t.Fatalf("after a failed read: %+v %v", ps, err)
		}

		p = &renkei.Product{OrgID: org.ID, Name: "app", Version: "1"}
		stored, err := db.ImportSBOMStreams(sys, p, []sqlstore.SBOMStream{inBatches(nil)})
		if err != nil || len(stored) != 1 || stored[0].ComponentCount != 25 || stored[0].Name != "app" || stored[0].Format != renkei.FormatCycloneDXJSON {
			t.Fatalf("stored %+v %v", stored, err)
		}
		ss, err := db.SBOMs(sys, org.ID, p.ID)
		if err != nil || len(ss) != 1 || ss[0].ComponentCount != 25 || ss[0].SpecVersion != "1.6" {
			t.Fatalf("read back %+v %v", ss, err)
		}
		fs, err := db.FindingsForSBOM(sys, org.ID, stored[0].ID)
		if err != nil || len(fs) != 1 || fs[0].PURL != "pkg:npm/lib-7@1.7.0" {
			t.Fatalf("findings %+v %v", fs, err)
		}

		// A write that fails stops the read: the reader's next batch is
		// refused, the import returns the write's error and stores nothing.
		ctx, cancel := context.WithCancel(sys)
		refused := 0
		cancelling := sqlstore.SBOMStream{FileName: "y", Read: func(give func([]renkei.Component) error) (*renkei.SBOM, error) {
			for i := range all {
				if i == 5 {
					cancel()
				}
				if err := give(all[i : i+1]); err != nil {
					refused++
					return nil, err
				}
			}
			return sbom, nil
		}}
		if _, err := db.ImportSBOMStreams(ctx, &renkei.Product{OrgID: org.ID, Name: "y", Version: "1"}, []sqlstore.SBOMStream{cancelling}); !errors.Is(err, context.Canceled) || refused != 1 {
			t.Fatalf("a failed write: %v, %d batches refused", err, refused)
		}
		if ps, _ := db.Products(sys, org.ID); len(ps) != 1 {
			t.Fatalf("after a failed write: %+v", ps)
		}

		// A panic while reading reaches the caller, and nothing is stored.
		func() {
			defer func() {
				if r := recover(); r != "a bug in the reader" {
					t.Fatalf("recovered %v", r)
				}
			}()
			bug := sqlstore.SBOMStream{FileName: "z", Read: func(give func([]renkei.Component) error) (*renkei.SBOM, error) {
				if err := give(all[:10]); err != nil {
					return nil, err
				}
				panic("a bug in the reader")
			}}
			_, err := db.ImportSBOMStreams(sys, &renkei.Product{OrgID: org.ID, Name: "z", Version: "1"}, []sqlstore.SBOMStream{bug})
			t.Fatalf("returned %v", err)
		}()
		if ps, _ := db.Products(sys, org.ID); len(ps) != 1 {
			t.Fatalf("after a panic: %+v", ps)
		}

		// A read that returns other components than it gave is refused.
		short := sqlstore.SBOMStream{FileName: "x", Read: func(give func([]renkei.Component) error) (*renkei.SBOM, error) {
			return sbom, give(all[:3])
		}}
		if _, err := db.ImportSBOMStreams(sys, &renkei.Product{OrgID: org.ID, Name: "x", Version: "1"}, []sqlstore.SBOMStream{short}); err == nil {
			t.Fatal("a read that gave 3 of 25 components was stored")
		}
	})
}
