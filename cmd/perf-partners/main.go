// Command perf-partners measures the Partners figures of docs/performance.md
// against a running Renkei: importing N partners from CSV, listing with
// filters, and exporting to XLSX. It generates its own fictional data and
// talks to the server only through the public API, as a client on loopback
// would. scripts/perf-partners.sh runs it end to end.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18100", "Renkei base URL")
	token := flag.String("token", os.Getenv("RENKEI_TOKEN"), "API token")
	n := flag.Int("n", 100_000, "partners to import")
	phase := flag.String("phase", "import", "import, list or export")
	lists := flag.Int("lists", 300, "list requests to time")
	flag.Parse()
	c := &client{base: strings.TrimRight(*base, "/"), token: *token, http: &http.Client{Timeout: 10 * time.Minute}}
	var err error
	switch *phase {
	case "import":
		err = c.importPhase(*n)
	case "list":
		err = c.listPhase(*lists)
	case "export":
		err = c.exportPhase()
	default:
		err = fmt.Errorf("unknown phase %q", *phase)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "perf-partners:", err)
		os.Exit(1)
	}
}

type client struct {
	base, token string
	http        *http.Client
}

func (c *client) do(method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.http.Do(req)
}

// csvFile generates n fictional partners with valid corporate numbers on
// a 99… base (a range we do not expect to be assigned).
func csvFile(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("external_id,name,corporate_number,type,industry,country,employees,provides,personal_data,reaches_internal_network,outage_unacceptable,handles_confidential_on_own_it,department\n")
	types := []string{"supplier", "supplier", "supplier", "supplier", "group", "overseas"}
	industries := "abcdefghijklmnopq"
	provides := []string{"direct_materials", "production_supplies", "it_systems", "saas", "logistics", "bpo"}
	depts := []string{"procurement", "business", "it_security", "legal"}
	for i := 0; i < n; i++ {
		base := fmt.Sprintf("99%010d", i)
		country := "JP"
		typ := types[rng.IntN(len(types))]
		if typ == "overseas" {
			country = []string{"VN", "TH", "CN", "US"}[rng.IntN(4)]
		}
		fmt.Fprintf(&b, "P%07d,性能試験用取引先%07d株式会社,%c%s,%s,%c,%s,%d,%s,%t,%t,%t,%t,%s\n",
			i, i, checkDigit(base), base, typ, industries[rng.IntN(17)], country, 1+rng.IntN(3000),
			provides[rng.IntN(len(provides))], rng.IntN(3) == 0, rng.IntN(5) == 0, rng.IntN(6) == 0, rng.IntN(6) == 0,
			depts[rng.IntN(len(depts))])
	}
	return b.Bytes()
}

// checkDigit is the Corporate Number check digit (National Tax Agency).
func checkDigit(base string) byte {
	sum := 0
	for k := 1; k <= 12; k++ {
		q := 1
		if k%2 == 0 {
			q = 2
		}
		sum += int(base[12-k]-'0') * q
	}
	return byte('0' + 9 - sum%9)
}

func (c *client) importPhase(n int) error {
	data := csvFile(n)
	start := time.Now()
	res, err := c.do("POST", "/api/v1/partners/import?mode=all_or_nothing", "text/csv", bytes.NewReader(data))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	took := time.Since(start)
	var out struct {
		Created, Updated int
		Errors           []json.RawMessage
	}
	_ = json.Unmarshal(body, &out)
	if res.StatusCode >= 300 || out.Created+out.Updated != n {
		return fmt.Errorf("import: %d %.300s", res.StatusCode, body)
	}
	fmt.Printf("import %d partners (%.1f MiB CSV): %.2f s (created %d, updated %d)\n", n, float64(len(data))/(1<<20), took.Seconds(), out.Created, out.Updated)
	return nil
}

// listPhase times list requests with a spread of filters and sorts, as
// people would use the list page.
func (c *client) listPhase(k int) error {
	rng := rand.New(rand.NewPCG(3, 4))
	queries := []url.Values{
		{}, {"sort": {"name"}}, {"sort": {"-risk"}}, {"type": {"overseas"}}, {"tier": {"high"}},
		{"required_level": {"star4"}, "sort": {"name"}}, {"industry": {"d"}, "department": {"procurement"}},
		{"q": {"0012345"}}, {"missing_incident_contact": {"1"}}, {"missing_agreement": {"confidentiality"}, "tier": {"medium"}},
	}
	byQuery := map[string][]time.Duration{}
	var all []time.Duration
	for i := 0; i < k; i++ {
		q := queries[rng.IntN(len(queries))]
		q2 := url.Values{"limit": {"50"}}
		for key, v := range q {
			q2[key] = v
		}
		start := time.Now()
		res, err := c.do("GET", "/api/v1/partners?"+q2.Encode(), "", nil)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		d := time.Since(start)
		if res.StatusCode != 200 {
			return fmt.Errorf("list %s: %d", q2.Encode(), res.StatusCode)
		}
		byQuery[q.Encode()] = append(byQuery[q.Encode()], d)
		all = append(all, d)
	}
	fmt.Printf("list, %d requests, limit 50: p50 %s, p95 %s, max %s\n", k, pct(all, 50), pct(all, 95), pct(all, 100))
	keys := make([]string, 0, len(byQuery))
	for q := range byQuery {
		keys = append(keys, q)
	}
	sort.Strings(keys)
	for _, q := range keys {
		if q == "" {
			fmt.Printf("  %-45s p95 %s\n", "(no filter)", pct(byQuery[q], 95))
		} else {
			fmt.Printf("  %-45s p95 %s\n", q, pct(byQuery[q], 95))
		}
	}
	return nil
}

func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return s[i-1].Round(10 * time.Microsecond)
}

func (c *client) exportPhase() error {
	start := time.Now()
	res, err := c.do("GET", "/api/v1/partners/export?format=xlsx", "", nil)
	if err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		return fmt.Errorf("export: %d %v", res.StatusCode, err)
	}
	fmt.Printf("export XLSX: %.2f s, %.1f MiB\n", time.Since(start).Seconds(), float64(n)/(1<<20))
	return nil
}
