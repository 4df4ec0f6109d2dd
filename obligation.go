package renkei

import (
	"fmt"
	"time"
)

// An incident's duties — report to the PPC, tell the persons, tell the
// police, the insurer, the parent… — come from rules that are data: a
// versioned ObligationRules set per organization, edited in settings and
// seeded with DefaultObligationRules. Each rule says when it applies (facts
// of the incident, the organization and the partner), how long there is
// (a clock counted from a moment of the incident) and on what basis.

// ObligationRules is one version of an organization's duty rules.
type ObligationRules struct {
	Version int              `json:"version"`
	Rules   []ObligationRule `json:"rules"`
}

// ObligationRule is one duty and when it arises.
type ObligationRule struct {
	Code    string    `json:"code"`
	Enabled bool      `json:"enabled"`
	Title   Bilingual `json:"title"`
	Basis   Bilingual `json:"basis"` // the law, guideline or contract it rests on
	// The rule applies when every condition of All holds and, if Any is
	// not empty, at least one of Any.
	All   []DutyCondition `json:"all,omitempty"`
	Any   []DutyCondition `json:"any,omitempty"`
	Clock Clock           `json:"clock"`
}

// DutyCondition is one test on a fact (see incidentFacts for the names).
// Without Gt or In it tests a yes/no fact for yes.
type DutyCondition struct {
	Fact string   `json:"fact"`
	Gt   *int     `json:"gt,omitempty"` // a number fact is greater than this
	In   []string `json:"in,omitempty"` // a word fact is one of these
}

// Clock is how long there is. Days counts calendar days in Japan time with
// the starting day as day one, so a duty falls due at the end of day Days
// (weekends and holidays do not stop it, as the PPC's guidance says for the
// final report); Hours counts elapsed hours. HoursFact takes the hours from
// a number fact (a partner's contractual reporting time). A clock with none
// of them has no fixed deadline ("promptly").
type Clock struct {
	From      string     `json:"from"` // aware, discovered or occurred
	Days      int        `json:"days,omitempty"`
	Hours     int        `json:"hours,omitempty"`
	HoursFact string     `json:"hours_fact,omitempty"`
	DaysIf    []DaysWhen `json:"days_if,omitempty"` // the first that holds replaces Days
}

// DaysWhen gives a longer or shorter period when a condition holds.
type DaysWhen struct {
	When DutyCondition `json:"when"`
	Days int           `json:"days"`
}

// Clock starting points.
const (
	ClockAware      = "aware"
	ClockDiscovered = "discovered"
	ClockOccurred   = "occurred"
)

// IncidentFacts is what the rules look at: the incident and what the
// organization and the partner add to it.
type IncidentFacts struct {
	Incident *Incident
	// OrgIndustry is the organization's survey industry (a–q).
	OrgIndustry string
	// OrgFlags are the organization's circumstances named in its settings:
	// "isac_member", "cyber_insurance", "group_company".
	OrgFlags []string
	// PartnerReportingHours is the partner's contractual time to report
	// an incident to us, 0 when no contract says so.
	PartnerReportingHours int
	// SharedServiceOthers counts other partners that use the same shared
	// service as the one compromised.
	SharedServiceOthers int
}

// Obligation is one duty of one incident.
type Obligation struct {
	Code   string     `json:"code"`
	Title  Bilingual  `json:"title"`
	Basis  Bilingual  `json:"basis"`
	DueAt  *time.Time `json:"due_at"` // nil: promptly, no fixed deadline
	Status string     `json:"status"`
	DoneAt *time.Time `json:"done_at"`
	// Reasons are the facts that made the rule apply.
	Reasons     []Bilingual `json:"reasons"`
	RuleVersion int         `json:"rule_version"`
}

// Obligation statuses.
const (
	ObligationOpen    = "open"
	ObligationDone    = "done"
	ObligationOverdue = "overdue"
	ObligationWaived  = "waived" // decided not needed, with a reason
	// ObligationMissed is a partner's contractual duty that fell due
	// before we became aware: the partner reported late.
	ObligationMissed = "missed"
)

// Japan is the zone duty clocks count days in.
var Japan = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Tokyo"); err == nil {
		return loc
	}
	return time.FixedZone("JST", 9*60*60)
}()

// Evaluate returns the duties the rules give the incident, in rule order.
func (rs ObligationRules) Evaluate(f IncidentFacts) []Obligation {
	var out []Obligation
	for _, r := range rs.Rules {
		if !r.Enabled {
			continue
		}
		reasons, ok := r.applies(f)
		if !ok {
			continue
		}
		ob := Obligation{Code: r.Code, Title: r.Title, Basis: r.Basis, Reasons: reasons,
			Status: ObligationOpen, RuleVersion: rs.Version}
		ob.DueAt = r.Clock.due(f)
		if r.Clock.HoursFact != "" && ob.DueAt != nil && f.Incident.AwareAt.After(*ob.DueAt) {
			ob.Status = ObligationMissed
		}
		out = append(out, ob)
	}
	return out
}

// applies reports whether the rule holds and the reasons why.
func (r ObligationRule) applies(f IncidentFacts) ([]Bilingual, bool) {
	var reasons []Bilingual
	for _, c := range r.All {
		t, ok := c.holds(f)
		if !ok {
			return nil, false
		}
		reasons = append(reasons, t)
	}
	if len(r.Any) == 0 {
		return reasons, true
	}
	found := false
	for _, c := range r.Any {
		if t, ok := c.holds(f); ok {
			reasons = append(reasons, t)
			found = true
		}
	}
	return reasons, found
}

// due computes the deadline, nil when the clock has none or its starting
// moment is unknown.
func (c Clock) due(f IncidentFacts) *time.Time {
	start := clockStart(f.Incident, c.From)
	if start == nil {
		return nil
	}
	switch {
	case c.HoursFact != "":
		h, ok := numberFact(f, c.HoursFact)
		if !ok || h <= 0 {
			return nil
		}
		t := start.Add(time.Duration(h) * time.Hour)
		return &t
	case c.Hours > 0:
		t := start.Add(time.Duration(c.Hours) * time.Hour)
		return &t
	}
	days := c.Days
	for _, d := range c.DaysIf {
		if _, ok := d.When.holds(f); ok {
			days = d.Days
			break
		}
	}
	if days <= 0 {
		return nil
	}
	t := EndOfDay(*start, days)
	return &t
}

// EndOfDay returns the last instant (23:59:59 Japan time, in UTC) of day n
// counted with start's own day as day one.
func EndOfDay(start time.Time, n int) time.Time {
	s := start.In(Japan)
	next := time.Date(s.Year(), s.Month(), s.Day()+n, 0, 0, 0, 0, Japan)
	return next.Add(-time.Second).UTC()
}

func clockStart(in *Incident, from string) *time.Time {
	switch from {
	case ClockOccurred:
		return in.OccurredAt
	case ClockDiscovered:
		return in.DiscoveredAt
	}
	t := in.AwareAt
	return &t
}

// StatusAt is the duty's status at now: open duties past their deadline
// are overdue. Done, waived and missed stay as they are.
func (o Obligation) StatusAt(now time.Time) string {
	if o.Status == ObligationOpen && o.DueAt != nil && now.After(*o.DueAt) {
		return ObligationOverdue
	}
	return o.Status
}

// Validate checks a rule set an organization edits: known facts, codes
// unique, clocks sensible, and the APPI preliminary report within the
// 1–5 days the PPC's guidance allows for "promptly".
func (rs ObligationRules) Validate() error {
	f := map[string]string{}
	seen := map[string]bool{}
	for i, r := range rs.Rules {
		p := fmt.Sprintf("rules[%d]", i)
		if !codePattern.MatchString(r.Code) {
			f[p+".code"] = "obligation.code_invalid"
		} else if seen[r.Code] {
			f[p+".code"] = "obligation.code_duplicate"
		}
		seen[r.Code] = true
		if r.Title.JA == "" || r.Title.EN == "" {
			f[p+".title"] = "obligation.title_required"
		}
		if r.Basis.JA == "" || r.Basis.EN == "" {
			f[p+".basis"] = "obligation.basis_required"
		}
		for j, c := range append(append([]DutyCondition{}, r.All...), r.Any...) {
			if !c.known() {
				f[fmt.Sprintf("%s.conditions[%d]", p, j)] = "obligation.fact_unknown"
			}
		}
		r.Clock.validate(f, p+".clock")
		if r.Code == "appi_preliminary" && (r.Clock.Days < 1 || r.Clock.Days > 5) {
			f[p+".clock.days"] = "obligation.appi_preliminary_days"
		}
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

func (c Clock) validate(f map[string]string, p string) {
	if c.From != ClockAware && c.From != ClockDiscovered && c.From != ClockOccurred {
		f[p+".from"] = "obligation.clock_from"
	}
	if c.Days < 0 || c.Days > 366 || c.Hours < 0 || c.Hours > 24*366 {
		f[p] = "obligation.clock_range"
	}
	if c.HoursFact != "" && factKinds[c.HoursFact] != factNumber {
		f[p+".hours_fact"] = "obligation.fact_unknown"
	}
	for i, d := range c.DaysIf {
		if !d.When.known() || d.Days < 1 || d.Days > 366 {
			f[fmt.Sprintf("%s.days_if[%d]", p, i)] = "obligation.clock_range"
		}
	}
}
