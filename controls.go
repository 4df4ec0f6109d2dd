package renkei

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"regexp"
)

// A Control is what several templates' questions ask about ("are updates
// applied?"), so that one answer can serve them all: every question names
// the controls of this common set it covers, and an answer given for one
// template can prefill the questions of another that share its controls.
type Control struct {
	ID    string    `json:"id"`    // ctl.<name>
	Group string    `json:"group"` // gov, ptn, id, pr, de, rs, rc (ControlGroups)
	Name  Bilingual `json:"name"`
}

// ControlGroups are the groups of the control set, in order: governance,
// partner management, and the five functions identify, protect, detect,
// respond and recover.
var ControlGroups = []Term{
	{Code: "gov", JA: "ガバナンス", EN: "Governance"},
	{Code: "ptn", JA: "取引先管理", EN: "Partner management"},
	{Code: "id", JA: "識別", EN: "Identify"},
	{Code: "pr", JA: "防御", EN: "Protect"},
	{Code: "de", JA: "検知", EN: "Detect"},
	{Code: "rs", JA: "対応", EN: "Respond"},
	{Code: "rc", JA: "復旧", EN: "Recover"},
}

//go:embed templates/controls.json
var controlsJSON []byte

var controlIDPattern = regexp.MustCompile(`^ctl\.[a-z0-9]+(?:-[a-z0-9]+)*$`)

var controlSet, controlIndex = func() ([]Control, map[string]int) {
	dec := json.NewDecoder(bytes.NewReader(controlsJSON))
	dec.DisallowUnknownFields()
	var list []Control
	if err := dec.Decode(&list); err != nil {
		panic("renkei: templates/controls.json: " + err.Error())
	}
	index := map[string]int{}
	for i, c := range list {
		known := false
		for _, g := range ControlGroups {
			known = known || g.Code == c.Group
		}
		if _, dup := index[c.ID]; dup || !controlIDPattern.MatchString(c.ID) || !known || c.Name.JA == "" || c.Name.EN == "" {
			panic("renkei: templates/controls.json: bad control " + c.ID)
		}
		index[c.ID] = i
	}
	return list, index
}()

// Controls returns the common control set, in order.
func Controls() []Control { return append([]Control(nil), controlSet...) }

// LookupControl finds a control by ID.
func LookupControl(id string) (Control, bool) {
	i, ok := controlIndex[id]
	if !ok {
		return Control{}, false
	}
	return controlSet[i], true
}

// ValidControl reports whether id is a control of the common set.
func ValidControl(id string) bool {
	_, ok := controlIndex[id]
	return ok
}
