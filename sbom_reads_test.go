package renkei

import (
	"fmt"
	"testing"
)

// TestFindingPager: counts cover every finding, the query's fields and
// Keep select, and the page is the selected ones from Offset.
func TestFindingPager(t *testing.T) {
	var all []Affected
	for i := range 10 {
		f := Affected{ProductID: fmt.Sprintf("p%d", i%2), PartnerID: map[bool]string{true: "x"}[i%3 == 0]}
		f.AdvisoryID, f.KEV = fmt.Sprintf("A%d", i), i%4 == 0
		all = append(all, f)
	}
	aliasesAsked := 0
	list := func(q FindingQuery) *FindingList {
		p := NewFindingPager(q)
		for i := range all {
			p.Add(&all[i], func() []string { aliasesAsked++; return []string{"CVE-" + all[i].AdvisoryID} })
		}
		return p.List()
	}
	ids := func(l *FindingList) string {
		s := ""
		for _, f := range l.Items {
			s += f.AdvisoryID + " "
		}
		return s
	}
	l := list(FindingQuery{})
	if l.Total != 10 || l.KEV != 3 || l.Listed != 10 || len(l.Items) != 10 || l.PerProduct["p0"] != 5 || aliasesAsked != 0 {
		t.Fatalf("all: %+v (aliases asked %d)", l, aliasesAsked)
	}
	if l := list(FindingQuery{PartnerID: "x", Offset: 1, Limit: 2}); l.Listed != 4 || ids(l) != "A3 A6 " || l.Total != 10 {
		t.Fatalf("partner x, second and third: %q listed %d", ids(l), l.Listed)
	}
	if l := list(FindingQuery{KEVOnly: true, ProductID: "p0"}); ids(l) != "A0 A4 A8 " {
		t.Fatalf("KEV of p0: %q", ids(l))
	}
	keep := func(f *Affected, aliases []string) bool { return aliases[0] != "CVE-A5" }
	if l := list(FindingQuery{Keep: keep, Offset: 8}); l.Listed != 9 || ids(l) != "A9 " || aliasesAsked != 10 {
		t.Fatalf("kept from the ninth: %q listed %d, aliases asked %d", ids(l), l.Listed, aliasesAsked)
	}
}
