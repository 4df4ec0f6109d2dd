package renkei

import (
	"slices"
	"time"
)

// The survey asks how fast partner incidents reach the company and are
// handled. IncidentMeasures answers per stage — occurrence to discovery,
// discovery to our awareness, awareness to triage, awareness to closure —
// overall and per partner type, with the duties overdue now.

// IncidentTimes are one case's moments, as the measures read them.
type IncidentTimes struct {
	PartnerType                                   string // "" for our own
	OccurredAt, DiscoveredAt, TriagedAt, ClosedAt *time.Time
	AwareAt                                       time.Time
}

// Stage names.
const (
	StageDiscovery = "occurred_to_discovered"
	StageReporting = "discovered_to_aware"
	StageTriage    = "aware_to_triaged"
	StageClosure   = "aware_to_closed"
)

// Stages lists the stages in order.
var Stages = []string{StageDiscovery, StageReporting, StageTriage, StageClosure}

// StageFigure summarizes one stage over the cases that have both moments.
type StageFigure struct {
	Cases        int     `json:"cases"`
	MedianHours  float64 `json:"median_hours"`
	P90Hours     float64 `json:"p90_hours"`
	AverageHours float64 `json:"average_hours"`
}

// IncidentMeasures are the figures over a set of cases.
type IncidentMeasures struct {
	Cases         int                               `json:"cases"`
	Stages        map[string]StageFigure            `json:"stages"`
	ByPartnerType map[string]map[string]StageFigure `json:"by_partner_type"`
	OverdueDuties int                               `json:"overdue_duties"`
	OverdueByCode map[string]int                    `json:"overdue_by_code"`
}

// MeasureIncidents computes the figures; overdue counts the open duties
// past their deadline, by code.
func MeasureIncidents(cases []IncidentTimes, overdue map[string]int) IncidentMeasures {
	m := IncidentMeasures{Cases: len(cases), Stages: map[string]StageFigure{}, ByPartnerType: map[string]map[string]StageFigure{},
		OverdueByCode: map[string]int{}}
	all := map[string][]float64{}
	byType := map[string]map[string][]float64{}
	for _, c := range cases {
		pt := c.PartnerType
		if pt == "" {
			pt = "own"
		}
		if byType[pt] == nil {
			byType[pt] = map[string][]float64{}
		}
		aware := c.AwareAt
		for stage, span := range map[string][2]*time.Time{
			StageDiscovery: {c.OccurredAt, c.DiscoveredAt},
			StageReporting: {c.DiscoveredAt, &aware},
			StageTriage:    {&aware, c.TriagedAt},
			StageClosure:   {&aware, c.ClosedAt},
		} {
			if span[0] == nil || span[1] == nil || span[1].Before(*span[0]) {
				continue
			}
			h := span[1].Sub(*span[0]).Hours()
			all[stage] = append(all[stage], h)
			byType[pt][stage] = append(byType[pt][stage], h)
		}
	}
	for _, st := range Stages {
		m.Stages[st] = figure(all[st])
	}
	for pt, stages := range byType {
		m.ByPartnerType[pt] = map[string]StageFigure{}
		for _, st := range Stages {
			m.ByPartnerType[pt][st] = figure(stages[st])
		}
	}
	for code, n := range overdue {
		m.OverdueByCode[code] = n
		m.OverdueDuties += n
	}
	return m
}

// figure summarizes hours; nearest-rank percentiles.
func figure(hs []float64) StageFigure {
	if len(hs) == 0 {
		return StageFigure{}
	}
	s := slices.Clone(hs)
	slices.Sort(s)
	sum := 0.0
	for _, h := range s {
		sum += h
	}
	rank := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return StageFigure{Cases: len(s), MedianHours: round1(rank(0.5)), P90Hours: round1(rank(0.9)), AverageHours: round1(sum / float64(len(s)))}
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
