package osvmatch

import (
	"iter"
	"strings"
	"unsafe"
)

// How the index lays out its millions of versions for the garbage
// collector. Loaded one by one among the short-lived allocations of
// reading rows, each version entry and each purl string was an object of
// its own, scattered over partly used spans: the collector had millions
// of objects to mark on every cycle, and a heap a third larger than what
// was live. Here version entries are held by value in chunks and purls
// are copied into large blocks, so they are a few hundred objects, packed.

// verChunkSize is how many version entries one chunk holds.
const verChunkSize = 4096

// verStore holds version entries by value, numbered by handle; a freed
// entry's handle is reused.
type verStore struct {
	chunks [][]verEntry
	n      uint32
	free   []uint32
}

// at returns the entry with the handle (a freed one has pkg nil).
func (s *verStore) at(h uint32) *verEntry { return &s.chunks[h/verChunkSize][h%verChunkSize] }

// alloc returns a zeroed entry with its handle set.
func (s *verStore) alloc() *verEntry {
	var h uint32
	if n := len(s.free); n > 0 {
		h, s.free = s.free[n-1], s.free[:n-1]
	} else {
		h = s.n
		s.n++
		if int(h/verChunkSize) == len(s.chunks) {
			s.chunks = append(s.chunks, make([]verEntry, verChunkSize))
		}
	}
	ve := s.at(h)
	ve.handle = h
	return ve
}

// release zeroes the entry and frees its handle. Pointers to it held
// elsewhere must have been dropped.
func (s *verStore) release(ve *verEntry) {
	h := ve.handle
	*ve = verEntry{}
	s.free = append(s.free, h)
}

// each calls fn for every entry in use.
func (s *verStore) each(fn func(*verEntry)) {
	for h := range s.n {
		if ve := s.at(h); ve.pkg != nil {
			fn(ve)
		}
	}
}

// arenaBlock is the size of the blocks purls are copied into.
const arenaBlock = 1 << 20

// arena copies strings into large blocks. A block lives while any string
// in it does, so the bytes of a version removed stay until their block's
// other strings go too: a few bytes per removed version, in exchange for
// millions of objects fewer.
type arena struct{ cur []byte }

// keep returns a copy of s held in the arena.
func (a *arena) keep(s string) string {
	if s == "" || len(s) > arenaBlock/16 {
		return strings.Clone(s)
	}
	if cap(a.cur)-len(a.cur) < len(s) {
		a.cur = make([]byte, 0, arenaBlock)
	}
	start := len(a.cur)
	a.cur = append(a.cur, s...)
	// The block's bytes up to len are never written again (appends go
	// past them), so the string stays as copied.
	return unsafe.String(&a.cur[start], len(s))
}

// ownerList is a version's owners (the components holding it). Most
// versions of a large portfolio have one or two, so the first is held
// inline and only the others in a slice: a million fewer small objects.
type ownerList struct {
	first owner
	n     uint32
	rest  []owner
}

func (l *ownerList) len() int { return int(l.n) }

func (l *ownerList) add(o owner) {
	if l.n == 0 {
		l.first = o
	} else {
		l.rest = append(l.rest, o)
	}
	l.n++
}

// all yields the owners.
func (l *ownerList) all() iter.Seq[owner] {
	return func(yield func(owner) bool) {
		if l.n == 0 || !yield(l.first) {
			return
		}
		for _, o := range l.rest {
			if !yield(o) {
				return
			}
		}
	}
}

// removeSBOM drops the owners in the SBOM with the handle.
func (l *ownerList) removeSBOM(sb uint32) {
	var first owner
	n := uint32(0)
	kept := l.rest[:0] // written behind the reads of the same array
	for o := range l.all() {
		switch {
		case o.sb == sb:
		case n == 0:
			first, n = o, 1
		default:
			kept = append(kept, o)
			n++
		}
	}
	if len(kept) == 0 {
		kept = nil
	}
	l.first, l.n, l.rest = first, n, kept
}

// trim lets the slice hold exactly the owners beyond the first.
func (l *ownerList) trim() {
	if cap(l.rest) > len(l.rest) {
		l.rest = append(make([]owner, 0, len(l.rest)), l.rest...)
	}
}
