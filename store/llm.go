package store

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// bLLM holds the optional model assist's answers (by a key naming the
// question, model and prompt version) and its per-day call counts, so a
// restart neither asks again nor forgets what today's budget spent. It is
// created on first use: stores that never enable the assist never have it.
var bLLM = []byte("llm")

// LLMGet returns a cached answer, or nil.
func (s *Store) LLMGet(key string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bLLM); b != nil {
			if v := b.Get([]byte("a/" + key)); v != nil {
				out = bytes.Clone(v)
			}
		}
		return nil
	})
	return out, err
}

// LLMPut caches an answer.
func (s *Store) LLMPut(key string, val []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bLLM)
		if err != nil {
			return err
		}
		return b.Put([]byte("a/"+key), val)
	})
}

// LLMTakeCall reserves one call in day's budget, in one transaction so two
// goroutines cannot both take the last call.
func (s *Store) LLMTakeCall(day string, limit int) (bool, error) {
	ok := false
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bLLM)
		if err != nil {
			return err
		}
		k := []byte("calls/" + day)
		var n uint64
		if v := b.Get(k); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		if n >= uint64(max(limit, 0)) {
			return nil
		}
		ok = true
		return b.Put(k, binary.BigEndian.AppendUint64(nil, n+1))
	})
	return ok, err
}

// LLMCalls reports how many calls day's budget has spent.
func (s *Store) LLMCalls(day string) (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bLLM); b != nil {
			if v := b.Get([]byte("calls/" + day)); len(v) == 8 {
				n = int(binary.BigEndian.Uint64(v))
			}
		}
		return nil
	})
	return n, err
}
