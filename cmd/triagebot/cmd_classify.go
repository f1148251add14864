package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// learnedState is the store's name for the classifier's tag-learned part.
const learnedState = "classifier.learned"

// model loads the shipped classifier and, with a store, what it learned
// from the hosts' tags. When that learned part is missing or unreadable
// while tags exist (a store from before learning, a damaged blob), it is
// rebuilt from the tags, which are the source of truth; unless the hosts
// asked for `retrain -reset`.
func (a *app) model(st *store.Store) (*classifier.Model, error) {
	m, err := classifier.Builtin()
	if err != nil || st == nil {
		return m, err
	}
	raw, err := st.GetState(learnedState)
	if err != nil {
		return nil, err
	}
	if err := m.LoadLearned(raw); err != nil {
		a.log.Warn("learned classifier state unreadable; rebuilding it from the tags", "err", err)
		raw = nil
	}
	if raw != nil {
		return m, nil
	}
	if reset, err := st.GetState(learnedState + ".reset"); err != nil || reset != nil {
		return m, err
	}
	tagged, err := taggedExamples(st)
	if err != nil || len(tagged) == 0 {
		return m, err
	}
	b, err := m.Relearn(tagged)
	if err != nil {
		return nil, err
	}
	return m, st.PutState(learnedState, b)
}

func taggedExamples(st *store.Store) ([]classifier.Example, error) {
	var out []classifier.Example
	err := st.WalkItems(store.Query{Oldest: true}, func(it news.Item) bool {
		if it.Tag != "" {
			out = append(out, classifier.Example{Item: it, Label: it.Tag})
		}
		return true
	})
	return out, err
}

// cmdClassify streams JSONL through the classifier. Output goes to a spool
// file first and is copied out only when every line was good, so a bad
// line 70,000 leaves nothing half-written.
func (a *app) cmdClassify(args []string) error {
	fs := a.flags("classify")
	out := fs.String("out", "", "write here instead of stdout")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErr("give at most one input file (or - for stdin)")
	}
	in := a.stdin
	name := "stdin"
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("open %s: %w", pos[0], err)
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	m, err := a.model(nil)
	if err != nil {
		return err
	}
	spool, err := os.CreateTemp("", "triagebot-classify-*")
	if err != nil {
		return err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	w := bufio.NewWriterSize(spool, 1<<16)
	if err := classifyStream(m, in, w); err != nil {
		return fmt.Errorf("%s: %w (fix that line; nothing was written)", name, err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dst := a.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		dst = f
	}
	_, err = io.Copy(dst, spool)
	return err
}

func classifyStream(m *classifier.Model, in io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		rec, err := classifier.ParseRecord(line, n)
		if err != nil {
			return err
		}
		// Keep every input field as it came; add the verdict.
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(line, &fields); err != nil {
			return fmt.Errorf("line %d: %w: %v", n, classifier.ErrBadLine, err)
		}
		v := m.Classify(rec.Item())
		fields["label"], _ = json.Marshal(v.Label)
		fields["confidence"], _ = json.Marshal(v.Confidence)
		fields["reasons"], _ = json.Marshal(v.Reasons)
		if err := enc.Encode(fields); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("a line is longer than 16 MiB: %w", err)
		}
		return err
	}
	return nil
}

func (a *app) cmdEval(args []string) error {
	fs := a.flags("eval")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	cv := fs.Int("cv", 0, "K-fold cross-validate instead: train on the seed corpus plus K-1 folds of FILE, score the held-out fold")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give one labelled JSONL file, e.g. triagebot eval labelled.jsonl")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("open %s: %w", pos[0], err)
	}
	defer f.Close()
	ex, err := classifier.ReadExamples(f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if len(ex) == 0 {
		return fmt.Errorf("%s has no labelled items", pos[0])
	}
	var verdicts []news.Verdict
	if *cv > 0 {
		seed, err := classifier.SeedExamples()
		if err != nil {
			return err
		}
		if verdicts, err = classifier.CrossValidate(seed, ex, *cv, classifier.TrainOptions{}); err != nil {
			return usageErr("%v", err)
		}
	} else {
		m, err := a.model(nil)
		if err != nil {
			return err
		}
		for _, e := range ex {
			verdicts = append(verdicts, m.Classify(e.Item))
		}
	}
	rep := classifier.Evaluate(ex, verdicts)
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	_, err = io.WriteString(a.stdout, rep.Text())
	return err
}

// cmdTag sets a host's label on an item and teaches the classifier.
func (a *app) cmdTag(args []string) error {
	fs := a.flags("tag")
	by := fs.String("by", "cli", "who tagged it (shown in the episode rundown)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageErr("give an item and a label: triagebot tag ITEM research|product|other")
	}
	label, err := news.ParseLabel(pos[1])
	if err != nil {
		return usageErr("%v", err)
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := a.model(st)
	if err != nil {
		return err
	}
	it, err := tagItem(st, m, pos[0], label, *by, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "tagged %s as %s: %s\n", it.ID, label, oneLine(it.Title, 80))
	return nil
}

// tagItem stores the tag and folds it into the learned classifier.
func tagItem(st *store.Store, m *classifier.Model, ref string, label news.Label, by string, now time.Time) (news.Item, error) {
	it, err := st.UpdateItem(resolveRef(st, ref), func(it *news.Item) error {
		it.Tag, it.TaggedBy, it.TaggedAt = label, by, now.UTC()
		return nil
	})
	if err != nil {
		return it, err
	}
	b, err := m.Learn(it, label)
	if err != nil {
		return it, err
	}
	return it, st.PutState(learnedState, b)
}

func (a *app) cmdUntag(args []string) error {
	pos, err := parse(a.flags("untag"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the item: triagebot untag ITEM")
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := a.model(st)
	if err != nil {
		return err
	}
	it, err := st.UpdateItem(resolveRef(st, pos[0]), func(it *news.Item) error {
		if it.Tag == "" {
			return fmt.Errorf("item %s has no tag", it.ID)
		}
		it.Tag, it.TaggedBy, it.TaggedAt = "", "", time.Time{}
		return nil
	})
	if err != nil {
		return err
	}
	// One tag cannot be subtracted from what was learned; relearn from
	// the tags that remain.
	if err := relearn(st, m); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "untagged %s; it now reads as %s\n", it.ID, labelText(it))
	return nil
}

func relearn(st *store.Store, m *classifier.Model) error {
	tagged, err := taggedExamples(st)
	if err != nil {
		return err
	}
	b, err := m.Relearn(tagged)
	if err != nil {
		return err
	}
	return st.PutState(learnedState, b)
}

func (a *app) cmdPick(args []string) error   { return a.pick(args, true) }
func (a *app) cmdUnpick(args []string) error { return a.pick(args, false) }

func (a *app) pick(args []string, on bool) error {
	fs := a.flags("pick")
	by := fs.String("by", "cli", "who picked it (shown in the episode rundown)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the item: triagebot pick ITEM")
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	it, err := st.UpdateItem(resolveRef(st, pos[0]), func(it *news.Item) error {
		it.Picked = on
		if on {
			it.PickedBy, it.PickedAt = *by, time.Now().UTC()
		} else {
			it.PickedBy, it.PickedAt = "", time.Time{}
		}
		return nil
	})
	if err != nil {
		return err
	}
	verb := "picked"
	if !on {
		verb = "unpicked"
	}
	fmt.Fprintf(a.stdout, "%s %s: %s\n", verb, it.ID, oneLine(it.Title, 80))
	return nil
}

func (a *app) cmdRetrain(args []string) error {
	fs := a.flags("retrain")
	reset := fs.Bool("reset", false, "forget what was learned from tags (the tags stay and still win for their own items)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := a.model(st)
	if err != nil {
		return err
	}
	if *reset {
		m.Forget()
		// Mark the learned part as deliberately empty so model() does not
		// rebuild it from the tags at the next start.
		if err := st.PutState(learnedState, nil); err != nil {
			return err
		}
		if err := st.PutState(learnedState+".reset", []byte("1")); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "forgot what was learned from tags; the shipped model alone classifies now")
	} else {
		if err := st.PutState(learnedState+".reset", nil); err != nil {
			return err
		}
		if err := relearn(st, m); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "relearned from %d tags\n", m.LearnedCount())
	}
	return a.reclassifyAll(st, m)
}

func (a *app) cmdReclassify(args []string) error {
	if _, err := parse(a.flags("reclassify"), args); err != nil {
		return err
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := a.model(st)
	if err != nil {
		return err
	}
	return a.reclassifyAll(st, m)
}

// reclassifyAll refreshes every stored verdict with the current model.
// The verdict is the model's own even for tagged items, so an untag shows
// what the model thinks.
func (a *app) reclassifyAll(st *store.Store, m *classifier.Model) error {
	changed := 0
	n, err := st.UpdateAll(func(it *news.Item) bool {
		probe := *it
		probe.Tag = ""
		v := m.Classify(probe)
		if it.Verdict != nil && it.Verdict.Label != v.Label {
			changed++
		}
		it.Verdict = &v
		return true
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "reclassified %d items; %d changed label\n", n, changed)
	return nil
}

// resolveRef turns what a host pasted into something the store finds: an
// id or the exact link work as they are; a link with other tracking
// parameters, or an arXiv link of another version, is found through its
// canonical key.
func resolveRef(st *store.Store, ref string) string {
	ref = strings.TrimSpace(ref)
	if _, err := st.Item(ref); err == nil || !strings.Contains(ref, "/") {
		return ref
	}
	it := feeds.Normalize(&gofeed.Item{Link: ref, Title: "-"}, feeds.FeedInfo{}, "", time.Time{})
	if _, err := st.Item(it.Key); err == nil {
		return it.Key
	}
	return ref
}
