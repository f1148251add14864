package service

import (
	"errors"
	"reflect"
	"testing"

	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// keyed is an item keyed as a poll keys it, so a pasted link can find it.
func keyed(id, title, link string) news.Item {
	it := item(id, title, "X", 1)
	it.URL, it.Key = link, feeds.KeyOf(link)
	return it
}

func TestResolveRef(t *testing.T) {
	t.Parallel()
	post := keyed("post0001", "A post", "https://blog.example.com/2026/11/post")
	paper := keyed("arxiv001", "A paper", "https://arxiv.org/abs/2411.01234v1")
	s, _ := newService(t, []news.Item{post, paper}, nil)
	for _, tc := range []struct{ name, ref, want string }{
		{"id", "post0001", "post0001"},
		{"id with spaces", "  post0001 ", "post0001"},
		{"exact link: the store finds it as it is", "https://blog.example.com/2026/11/post", "https://blog.example.com/2026/11/post"},
		{"link with tracking parameters", "https://blog.example.com/2026/11/post?utm_source=newsletter&fbclid=x", post.Key},
		{"another arXiv version", "https://arxiv.org/abs/2411.01234v3", paper.Key},
		{"unknown link stays as pasted", "https://other.example.com/x", "https://other.example.com/x"},
		{"unknown id stays as pasted", "nosuchid", "nosuchid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.ResolveRef(tc.ref); got != tc.want {
				t.Errorf("ResolveRef(%q) = %q, want %q", tc.ref, got, tc.want)
			}
		})
	}
	// What the bot and CLI do with a pasted link reaches the right item.
	it, err := s.Pick("https://blog.example.com/2026/11/post?utm_medium=email", true, "ana")
	if err != nil || it.ID != post.ID || !it.Picked {
		t.Errorf("pick by a tracked link: %+v %v", it, err)
	}
}

func TestTagUntagSemantics(t *testing.T) {
	t.Parallel()
	s, st := newService(t, []news.Item{item("t1", "Acme ships a voice mode in its app", "X", 1)}, nil)
	it, err := s.Tag("t1", news.Research, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if it.Tag != news.Research || it.TaggedBy != "ana" || !it.TaggedAt.Equal(now) {
		t.Errorf("tag: %+v", it)
	}
	if stored, err := st.Item("t1"); err != nil || stored.Tag != news.Research || stored.Effective() != news.Research {
		t.Errorf("the tag was not stored or does not win: %+v %v", stored, err)
	}
	if raw, err := st.GetState(LearnedState); err != nil || len(raw) == 0 || s.m.LearnedCount() != 1 {
		t.Errorf("the tag was not learned: %d bytes, %d learned, %v", len(raw), s.m.LearnedCount(), err)
	}
	it, err = s.Untag("t1")
	if err != nil || it.Tag != "" || it.TaggedBy != "" || !it.TaggedAt.IsZero() {
		t.Fatalf("untag: %+v %v", it, err)
	}
	if s.m.LearnedCount() != 0 {
		t.Errorf("untag left %d learned tags", s.m.LearnedCount())
	}
	for _, tc := range []struct {
		name string
		do   func() error
		want error
	}{
		{"untag an untagged item", func() error { _, err := s.Untag("t1"); return err }, ErrNoTag},
		{"untag a missing item", func() error { _, err := s.Untag("nope"); return err }, store.ErrNotFound},
		{"tag a missing item", func() error { _, err := s.Tag("nope", news.Other, "ana"); return err }, store.ErrNotFound},
		{"tag a missing item by click", func() error { _, err := s.TagItem("nope", news.Other, "ana"); return err }, store.ErrNotFound},
		{"pick a missing item", func() error { _, err := s.Pick("nope", true, "ana"); return err }, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want errors.Is %v", err, tc.want)
			}
		})
	}
}

func TestForgetLearnedHoldsAcrossRestarts(t *testing.T) {
	t.Parallel()
	s, st := newService(t, []news.Item{item("f1", "Acme ships a voice mode in its app", "X", 1)}, nil)
	if _, err := s.Tag("f1", news.Research, "ana"); err != nil {
		t.Fatal(err)
	}
	// Without a reset, a lost learned part is rebuilt from the tags.
	if err := st.PutState(LearnedState, nil); err != nil {
		t.Fatal(err)
	}
	if m, err := LoadModel(st, nil); err != nil || m.LearnedCount() != 1 {
		t.Fatalf("a missing learned part was not rebuilt from the tags: %v", err)
	}

	if err := s.ForgetLearned(); err != nil {
		t.Fatal(err)
	}
	if s.m.LearnedCount() != 0 {
		t.Errorf("the running model still knows %d tags", s.m.LearnedCount())
	}
	if raw, err := st.GetState(LearnedState); err != nil || raw != nil {
		t.Errorf("the learned part is still stored: %d bytes %v", len(raw), err)
	}
	if stored, err := st.Item("f1"); err != nil || stored.Tag != news.Research {
		t.Errorf("forgetting dropped the tag itself: %+v %v", stored, err)
	}
	// The next start does not relearn what was forgotten.
	m, err := LoadModel(st, nil)
	if err != nil || m.LearnedCount() != 0 {
		t.Fatalf("a restart relearned %d forgotten tags: %v", m.LearnedCount(), err)
	}
	// Relearn lifts the reset, for good.
	if n, err := s.Relearn(); err != nil || n != 1 {
		t.Fatalf("relearn: %d %v", n, err)
	}
	if err := st.PutState(LearnedState, nil); err != nil {
		t.Fatal(err)
	}
	if m, err := LoadModel(st, nil); err != nil || m.LearnedCount() != 1 {
		t.Errorf("after a relearn, a lost learned part was not rebuilt: %v", err)
	}
}

func TestReclassifyStored(t *testing.T) {
	t.Parallel()
	a, b := item("r1", "Acme ships a voice mode in its app", "X", 1), item("r2", "Sparse adapters for frozen models", "X", 2)
	stale := news.Verdict{Label: news.Other, Confidence: 0.1}
	a.Verdict, b.Verdict = &stale, &stale
	s, st := newService(t, []news.Item{a, b}, nil)
	asked := news.Verdict{Label: news.Research, Confidence: 0.99, Reasons: []string{"the assist said so"}}
	n, changed, err := s.ReclassifyStored(map[string]news.Verdict{"r2": asked})
	if err != nil || n != 2 {
		t.Fatalf("reclassify: %d %v", n, err)
	}
	got1, err := st.Item("r1")
	if err != nil {
		t.Fatal(err)
	}
	got2, err := st.Item("r2")
	if err != nil {
		t.Fatal(err)
	}
	if want := s.m.Classify(a); got1.Verdict == nil || !reflect.DeepEqual(*got1.Verdict, want) {
		t.Errorf("r1 verdict %+v, want the model's %+v", got1.Verdict, want)
	}
	if got2.Verdict == nil || !reflect.DeepEqual(*got2.Verdict, asked) {
		t.Errorf("r2 verdict %+v, want the override %+v", got2.Verdict, asked)
	}
	wantChanged := 1 // r2 for sure; r1 when the model does not say other
	if got1.Verdict.Label != news.Other {
		wantChanged++
	}
	if changed != wantChanged {
		t.Errorf("changed = %d, want %d", changed, wantChanged)
	}
	// Unsure hands back exactly the items its test accepts, untagged.
	un, err := s.Unsure(func(v news.Verdict) bool { return v.Label == got1.Verdict.Label })
	if err != nil || len(un) == 0 || un[0].Tag != "" {
		t.Errorf("unsure: %v %v", un, err)
	}
}
