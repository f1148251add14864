package service

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/news"
)

// fakeAssist stands for package llm: it remembers one cached verdict and
// answers briefs, or fails, as told.
type fakeAssist struct {
	cached   map[string]news.Verdict
	briefErr error
	slow     time.Duration
	briefs   atomic.Int64
}

func (f *fakeAssist) CachedVerdict(it news.Item, off news.Verdict) (news.Verdict, bool) {
	if v, ok := f.cached[it.ID]; ok {
		return v, true
	}
	return off, false
}

func (f *fakeAssist) StoryBrief(ctx context.Context, l news.Label, items []news.Item, lang string) (news.Brief, error) {
	f.briefs.Add(1)
	if f.slow > 0 {
		select {
		case <-time.After(f.slow):
		case <-ctx.Done():
			return news.Brief{}, ctx.Err()
		}
	}
	if f.briefErr != nil {
		return news.Brief{}, f.briefErr
	}
	return news.Brief{Text: "brief of " + items[0].Title, Model: "fake"}, nil
}

func (f *fakeAssist) SummarizeTop() int      { return 2 }
func (f *fakeAssist) Timeout() time.Duration { return 200 * time.Millisecond }
func (f *fakeAssist) Usage() AssistUsage     { return AssistUsage{Model: "fake", Calls: 3} }

func TestDigestWithAssist(t *testing.T) {
	items := []news.Item{
		item("a1", "Acme launches a voice mode for its assistant app", "Verge", 5),
		item("b1", "A new method for reading charts with language models outperforms baselines", "Lab", 6),
		item("c1", "Acme raises $400M in a Series C round", "TechCrunch", 7),
	}
	tests := []struct {
		name       string
		assist     *fakeAssist
		wantBriefs bool
	}{
		{"briefs for the top stories", &fakeAssist{}, true},
		{"a failing endpoint leaves no brief", &fakeAssist{briefErr: errors.New("down")}, false},
		{"a hung endpoint costs one timeout", &fakeAssist{slow: time.Hour}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newService(t, items, nil)
			s.SetAssist(tc.assist)
			var (
				d   *digest.Digest
				err error
			)
			// In a bubble the clock moves only when every goroutine
			// waits, so the time the digest took is exact: the briefs
			// run at once under one timeout, whatever the endpoint does.
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				d, err = s.WeekDigest("2026-W48")
				if el := time.Since(start); el > tc.assist.Timeout() {
					t.Errorf("the digest took %v, more than the assist's one timeout %v", el, tc.assist.Timeout())
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, sec := range d.Sections {
				for _, st := range sec.Stories {
					if st.Brief != nil {
						got++
						if sec.Key != "research" && sec.Key != "product" {
							t.Fatalf("a brief in section %s", sec.Key)
						}
						if !strings.HasPrefix(st.Brief.Text, "brief of ") {
							t.Fatalf("brief %q", st.Brief.Text)
						}
					}
				}
			}
			if (got > 0) != tc.wantBriefs {
				t.Fatalf("%d briefs, want some: %v", got, tc.wantBriefs)
			}
			if n := tc.assist.briefs.Load(); n != 2 {
				t.Fatalf("the assist was asked for %d briefs, want 2 (the research and the product story)", n)
			}
		})
	}
}

func TestCachedVerdictsShowInTheDigestAndTagsStillWin(t *testing.T) {
	items := []news.Item{
		item("a1", "Something vague happened at Acme", "Verge", 5),
		item("b1", "Another vague thing at Beta", "Verge", 6),
	}
	s, _ := newService(t, items, nil)
	if _, err := s.Tag("b1", news.Other, "ana"); err != nil {
		t.Fatal(err)
	}
	research := news.Verdict{Label: news.Research, Confidence: 0.9, Reasons: []string{"llm fake: a result"}}
	s.SetAssist(&fakeAssist{cached: map[string]news.Verdict{"a1": research, "b1": research}})
	d, err := s.WeekDigest("2026-W48")
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range d.Sections {
		for _, st := range sec.Stories {
			switch st.ID {
			case "a1":
				if sec.Key != "research" {
					t.Fatalf("a1 in %s: the cached model verdict must show", sec.Key)
				}
			case "b1":
				if sec.Key != "other" {
					t.Fatalf("b1 in %s: the host's tag must win over the model", sec.Key)
				}
			}
		}
	}
}

func TestStatusReportsAssistUsage(t *testing.T) {
	s, _ := newService(t, nil, nil)
	if st, err := s.Status(); err != nil || st.LLM != nil {
		t.Fatalf("assist off: %+v %v", st.LLM, err)
	}
	s.SetAssist(&fakeAssist{})
	st, err := s.Status()
	if err != nil || st.LLM == nil || st.LLM.Calls != 3 || st.LLM.Model != "fake" {
		t.Fatalf("assist on: %+v %v", st.LLM, err)
	}
}
