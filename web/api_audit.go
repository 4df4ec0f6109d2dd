package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// apiAuditEntry is one audit entry as the API shows it; detail is the
// entry's JSON object (or null), not a string holding JSON.
type apiAuditEntry struct {
	Seq        int64           `json:"seq"`
	ID         string          `json:"id"`
	ActorID    string          `json:"actor_id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Detail     json.RawMessage `json:"detail"`
	IP         string          `json:"ip"`
	At         time.Time       `json:"at"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func toAPIAuditEntry(e *renkei.AuditEntry) apiAuditEntry {
	detail := json.RawMessage("null")
	if e.Detail != "" && json.Valid([]byte(e.Detail)) {
		detail = json.RawMessage(e.Detail)
	}
	return apiAuditEntry{
		Seq: e.Seq, ID: e.ID, ActorID: e.ActorID, Actor: e.ActorLabel, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Detail: detail, IP: e.IP,
		At: utc(e.At), PrevHash: e.PrevHash, Hash: e.Hash,
	}
}

// apiListAudit is GET /api/v1/audit: the organization's entries, newest
// first.
func (s *Server) apiListAudit(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	es, next, err := s.cfg.Store.ListAudit(r.Context(), actor(r).OrgID, page)
	if err != nil {
		return err
	}
	out := make([]apiAuditEntry, len(es))
	for i := range es {
		out[i] = toAPIAuditEntry(&es[i])
	}
	writeList(w, out, next)
	return nil
}
