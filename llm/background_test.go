package llm

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

type savedVerdicts struct {
	mu      sync.Mutex
	got     map[string]news.Verdict
	failFor int // the first failFor saves of each item fail, like an item not stored yet
	tries   map[string]int
}

func (s *savedVerdicts) save(it news.Item, v news.Verdict) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries[it.Key]++
	if s.tries[it.Key] <= s.failFor {
		return errors.New("not stored yet")
	}
	s.got[it.Key] = v
	return nil
}

func newSaved(failFor int) *savedVerdicts {
	return &savedVerdicts{got: map[string]news.Verdict{}, tries: map[string]int{}, failFor: failFor}
}

func TestBackgroundNeverMakesThePollWait(t *testing.T) {
	f := newFake(t, func(int64, string) (int, string) {
		time.Sleep(150 * time.Millisecond)
		return 200, verdictJSON("research", 0.9)
	})
	a, _ := newAssist(t, f, nil, func(o *Options) { o.Concurrency = 4 })
	s := newSaved(0)
	bg := NewBackground(fixed{news.Verdict{Label: news.Other, Confidence: 0.3}}, a, 100, s.save, nil)
	start := time.Now()
	for i := range 8 {
		if v := bg.Classify(item(string(rune('a'+i)), "t")); v.Label != news.Other {
			t.Fatalf("the poll must get the offline verdict at once, got %v", v)
		}
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("classifying 8 unsure items took %v: the poll waited on the model", d)
	}
	if err := bg.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(s.got) != 8 {
		t.Fatalf("%d verdicts saved, want 8", len(s.got))
	}
	for k, v := range s.got {
		if v.Label != news.Research {
			t.Fatalf("%s saved %v", k, v)
		}
	}
	// Once answered, an item's next poll gets the model's verdict from the
	// cache, without a call.
	calls := f.Calls.Load()
	bg2 := NewBackground(fixed{news.Verdict{Label: news.Other, Confidence: 0.3}}, a, 100, s.save, nil)
	defer bg2.Close(context.Background())
	if v := bg2.Classify(item("a", "t")); v.Label != news.Research || f.Calls.Load() != calls {
		t.Fatalf("cached item: %v, %d new calls", v, f.Calls.Load()-calls)
	}
}

func TestBackgroundQueueIsBoundedAndCloseCancels(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(int64, string) (int, string) {
		<-release
		return 200, verdictJSON("research", 0.9)
	})
	t.Cleanup(func() { close(release) })
	a, _ := newAssist(t, f, nil, func(o *Options) { o.Concurrency = 1; o.Timeout = 5 * time.Second })
	s := newSaved(0)
	bg := NewBackground(fixed{news.Verdict{Label: news.Other, Confidence: 0.3}}, a, 2, s.save, nil)
	for i := range 10 {
		bg.Classify(item(string(rune('a'+i)), "t"))
	}
	queued, dropped, _ := bg.Counts()
	if queued+dropped != 10 || dropped < 7 {
		t.Fatalf("queued %d, dropped %d: a queue of 2 (+1 in flight) must drop the rest", queued, dropped)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := bg.Close(ctx); err == nil {
		t.Fatal("Close must say it stopped waiting")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v past its deadline", d)
	}
	if v := bg.Classify(item("late", "t")); v.Label != news.Other {
		t.Fatalf("after Close: %v", v)
	}
}

func TestBackgroundRetriesASaveOnce(t *testing.T) {
	f := newFake(t, func(int64, string) (int, string) { return 200, verdictJSON("product", 0.9) })
	a, _ := newAssist(t, f, nil, nil)
	s := newSaved(1)
	bg := NewBackground(fixed{news.Verdict{Label: news.Other, Confidence: 0.3}}, a, 10, s.save, nil)
	bg.Classify(item("k", "t"))
	if err := bg.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.got["k"]; !ok || v.Label != news.Product || s.tries["k"] != 2 {
		t.Fatalf("saved %v after %d tries, want product after 2", v, s.tries["k"])
	}
}

// The same item seen twice before its answer (two feeds, or a quick
// re-poll) is asked once.
func TestBackgroundAsksAnItemOnce(t *testing.T) {
	f := newFake(t, func(int64, string) (int, string) {
		time.Sleep(50 * time.Millisecond)
		return 200, verdictJSON("research", 0.9)
	})
	a, _ := newAssist(t, f, nil, func(o *Options) { o.Concurrency = 2 })
	s := newSaved(0)
	bg := NewBackground(fixed{news.Verdict{Label: news.Other, Confidence: 0.3}}, a, 10, s.save, nil)
	for range 5 {
		bg.Classify(item("same", "t"))
	}
	if err := bg.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.Calls.Load(); n != 1 {
		t.Fatalf("%d calls for one item, want 1", n)
	}
}
