package renkei

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditEntry records one change or sign-in. Entries form a hash chain: each
// Hash covers the entry's fields and the previous entry's Hash, so that an
// altered or removed entry breaks the chain from that point on.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	ID         string    `json:"id"`
	OrgID      string    `json:"org_id,omitempty"`
	ActorID    string    `json:"actor_id,omitempty"`
	ActorLabel string    `json:"actor"`
	Action     string    `json:"action"` // e.g. "user.create", "login.success"
	ObjectType string    `json:"object_type,omitempty"`
	ObjectID   string    `json:"object_id,omitempty"`
	Detail     string    `json:"detail,omitempty"` // JSON
	IP         string    `json:"ip,omitempty"`
	At         time.Time `json:"at"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the chain hash of e given e.PrevHash. Every field is
// length-prefixed so that no two different entries share an encoding.
func (e *AuditEntry) ComputeHash() string {
	var b strings.Builder
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.ID, e.OrgID, e.ActorID, e.ActorLabel,
		e.Action, e.ObjectType, e.ObjectID, e.Detail, e.IP,
		e.At.UTC().Format(time.RFC3339Nano), e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte(';')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// ChainBreak names the first entry where a chain stops being intact.
type ChainBreak struct {
	Seq    int64
	ID     string
	Reason string // "hash" (altered), "prev" (link broken), "gap" (entry removed)
}

// ChainVerifier checks entries one at a time, in sequence order.
type ChainVerifier struct {
	prevHash string
	prevSeq  int64
	Checked  int64
}

// NewChainVerifier starts at the genesis.
func NewChainVerifier() *ChainVerifier { return &ChainVerifier{prevHash: GenesisHash} }

// Next checks e against the entries before it and returns the break, if any.
func (v *ChainVerifier) Next(e *AuditEntry) *ChainBreak {
	v.Checked++
	switch {
	case e.Seq != v.prevSeq+1:
		return &ChainBreak{Seq: e.Seq, ID: e.ID, Reason: "gap"}
	case e.PrevHash != v.prevHash:
		return &ChainBreak{Seq: e.Seq, ID: e.ID, Reason: "prev"}
	case e.ComputeHash() != e.Hash:
		return &ChainBreak{Seq: e.Seq, ID: e.ID, Reason: "hash"}
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	return nil
}

// AuditStore appends and reads the audit log.
type AuditStore interface {
	// AppendAudit appends an entry outside any other change (sign-ins).
	AppendAudit(ctx context.Context, e *AuditEntry) error
	ListAudit(ctx context.Context, orgID string, page Page) ([]AuditEntry, string, error)
	// WalkAudit calls fn for every entry in sequence order.
	WalkAudit(ctx context.Context, fn func(*AuditEntry) error) error
	// AuditHead returns the last sequence number and hash.
	AuditHead(ctx context.Context) (int64, string, error)
}
