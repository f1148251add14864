package llm

import "sync"

// MemCache is a Cache in memory, for commands that run without a store
// (`classify -llm`, `eval -llm`): answers and the budget last for the run.
type MemCache struct {
	mu    sync.Mutex
	vals  map[string][]byte
	calls map[string]int
}

// NewMemCache returns an empty MemCache.
func NewMemCache() *MemCache {
	return &MemCache{vals: map[string][]byte{}, calls: map[string]int{}}
}

// LLMGet implements Cache.
func (m *MemCache) LLMGet(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.vals[key], nil
}

// LLMPut implements Cache.
func (m *MemCache) LLMPut(key string, val []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.vals[key] = append([]byte(nil), val...)
	return nil
}

// LLMTakeCall implements Cache.
func (m *MemCache) LLMTakeCall(day string, limit int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.calls[day] >= limit {
		return false, nil
	}
	m.calls[day]++
	return true, nil
}
