package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/llm"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// model loads the classifier with what it learned from tags (st may be
// nil: the base model alone, which is the one `retrain -from` trained
// when data_dir holds it).
func (a *app) model(st *store.Store) (*classifier.Model, error) {
	if a.served != nil {
		return a.served.model, nil // the daemon's: what a tag teaches shows in its polls
	}
	warn := func(err error) {
		a.log.Warn("part of the classifier is unreadable; falling back as the error says", "err", err)
	}
	if st == nil {
		cfg, err := a.config()
		if err != nil {
			return nil, err
		}
		return service.BaseModel(cfg.DataDir, warn)
	}
	return service.LoadModel(st, warn)
}

// service opens the store and wraps it with the classifier.
func (a *app) service() (*service.Service, func(), error) {
	p, err := a.serviceParts()
	if err != nil {
		return nil, nil, err
	}
	return p.svc, p.close, nil
}

// parts is a service with the store and model it was built from, for the
// commands that also run the model assist over the store (its cache and
// budget live there; it asks the offline model first).
type parts struct {
	svc   *service.Service
	st    *store.Store
	m     *classifier.Model
	close func()
}

func (a *app) serviceParts() (parts, error) {
	cfg, st, err := a.openStore()
	if err != nil {
		return parts{}, err
	}
	m, err := a.model(st)
	if err != nil {
		st.Close()
		return parts{}, err
	}
	svc := service.New(st, m, cfg, nil)
	if err := a.withAssist(cfg, st, svc); err != nil {
		st.Close()
		return parts{}, err
	}
	return parts{svc: svc, st: st, m: m, close: func() { st.Close() }}, nil
}

// cmdClassify streams JSONL through the classifier. Output goes to a spool
// file first and is copied out only when every line was good, so a bad
// line 70,000 leaves nothing half-written.
func (a *app) cmdClassify(args []string) error {
	fs := a.flags("classify")
	out := fs.String("out", "", "write here instead of stdout")
	useLLM := fs.Bool("llm", false, "ask the configured model about items the offline model is unsure of")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErr("give at most one input file (or - for stdin)")
	}
	in, name, done, err := a.openInput(pos)
	if err != nil {
		return err
	}
	defer done()
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
	var c service.Classifier = m
	if *useLLM {
		as, err := a.cliAssist()
		if err != nil {
			return err
		}
		c = llm.Classifier{Offline: m, Assist: as}
		start := time.Now()
		defer func() { llmReport(a.stderr, as, int(as.Stats().Sent), time.Since(start)) }()
	}
	if err := classifyStream(c, in, w); err != nil {
		return fmt.Errorf("%s: %w (fix that line; nothing was written)", name, err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return a.writeTo(*out, func(w io.Writer) error {
		_, err := io.Copy(w, spool)
		return err
	})
}

// maxLine is the longest JSONL line classify reads.
const maxLine = 16 << 20

func classifyStream(m service.Classifier, in io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 1
	for ; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		// Fields are copied through raw, so invalid UTF-8 would reach the
		// output and make it invalid JSON: replace it, as json.Unmarshal
		// does for the fields it decodes.
		if !utf8.Valid(line) {
			line = toValidUTF8(line)
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
			return fmt.Errorf("line %d: %w: longer than %d MiB", n, classifier.ErrBadLine, maxLine>>20)
		}
		return err
	}
	return nil
}

// toValidUTF8 replaces every invalid byte with U+FFFD, one each, the way
// encoding/json decodes them.
func toValidUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

func (a *app) cmdEval(args []string) error {
	fs := a.flags("eval")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	useLLM := fs.Bool("llm", false, "also score the offline model plus the configured model for unsure items, and report what the model cost")
	cv := fs.Int("cv", 0, "K-fold cross-validate instead, holding out whole outlets: train on K-1 folds of FILE, score the held-out fold")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give one labelled JSONL file, e.g. triagebot eval labelled.jsonl")
	}
	if *cv < 0 {
		return usageErr("-cv %d: give the number of folds, 2 or more (0: no cross-validation)", *cv)
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
		if verdicts, err = classifier.CrossValidateBySource(ex, *cv, classifier.TrainOptions{}); err != nil {
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
		if *useLLM {
			return a.evalLLM(m, ex, verdicts, *asJSON)
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
	svc, done, err := a.service()
	if err != nil {
		return err
	}
	defer done()
	it, err := svc.Tag(pos[0], label, *by)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "tagged %s as %s: %s\n", it.ID, label, text.Clip(it.Title, 80))
	return nil
}

func (a *app) cmdUntag(args []string) error {
	pos, err := parse(a.flags("untag"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the item: triagebot untag ITEM")
	}
	svc, done, err := a.service()
	if err != nil {
		return err
	}
	defer done()
	it, err := svc.Untag(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "untagged %s; it now reads as %s\n", it.ID, labelText(it))
	return nil
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
	svc, done, err := a.service()
	if err != nil {
		return err
	}
	defer done()
	it, err := svc.Pick(pos[0], on, *by)
	if err != nil {
		return err
	}
	verb := "picked"
	if !on {
		verb = "unpicked"
	}
	fmt.Fprintf(a.stdout, "%s %s: %s\n", verb, it.ID, text.Clip(it.Title, 80))
	return nil
}

func (a *app) cmdRetrain(args []string) error {
	fs := a.flags("retrain")
	reset := fs.Bool("reset", false, "go back to the shipped model: forget what was learned from tags and drop a model trained with -from (the tags stay and still win for their own items)")
	from := fs.String("from", "", "adapt the shipped model to this labelled JSONL file (the classify fields plus \"label\")")
	alone := fs.Bool("alone", false, "with -from: train a new model on the file alone instead of adapting the shipped one")
	withSeed := fs.Bool("seed", false, "with -from -alone: train on the project's seed examples too")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *reset && *from != "" {
		return usageErr("give -from FILE or -reset, not both")
	}
	if *alone && *from == "" {
		return usageErr("-alone goes with -from FILE")
	}
	if *withSeed && (*from == "" || !*alone) {
		return usageErr("-seed goes with -from FILE -alone (the shipped model, which -from adapts, already learned the seed examples)")
	}
	var examples []classifier.Example
	if *from != "" {
		// Read and check the file before the store is opened: a bad line
		// changes nothing.
		var err error
		if examples, err = readLabelled(*from); err != nil {
			return err
		}
		if _, err := service.CheckTrainingSet(examples); err != nil {
			return fmt.Errorf("%s: %w: label more items, then run it again", *from, err)
		}
	}
	p, err := a.serviceParts()
	if err != nil {
		return err
	}
	defer p.close()
	switch {
	case *reset:
		if err := p.svc.ForgetLearned(); err != nil {
			return err
		}
		if err := p.svc.ResetBase(); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "forgot what was learned from tags; the shipped model alone classifies now")
	case *from != "":
		fmt.Fprintf(a.stdout, "training on %d labelled items from %s…\n", len(examples), *from)
		rep, err := p.svc.TrainBase(examples, service.BaseTraining{Alone: *alone, Seed: *withSeed})
		if err != nil {
			return err
		}
		what := "adapted the shipped model to"
		if !rep.Adapted {
			what = "trained a new model on"
		}
		seed := ""
		switch {
		case rep.Seed > 0:
			seed = fmt.Sprintf(" and %d seed examples", rep.Seed)
		case !rep.Adapted:
			seed = " without the seed examples"
		}
		fmt.Fprintf(a.stdout, "%s %d items (research %d, product %d, other %d)%s; it classifies from now on (`retrain -reset` goes back to the shipped model)\n",
			what, rep.Items, rep.ByLabel[news.Research], rep.ByLabel[news.Product], rep.ByLabel[news.Other], seed)
	default:
		n, err := p.svc.Relearn()
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "relearned from %d tags\n", n)
	}
	return a.reclassifyAll(p)
}

// readLabelled reads a labelled JSONL file for retrain -from; a bad line
// is an error naming the file, the line and what each line needs.
func readLabelled(path string) ([]classifier.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("retrain: %w", err)
	}
	defer f.Close()
	ex, err := classifier.ReadExamples(f)
	if errors.Is(err, classifier.ErrBadLine) {
		return nil, fmt.Errorf("%s: %w (each line is a JSON object with at least \"title\" and \"label\": research, product or other; fix the line and run it again, nothing was changed)", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ex, nil
}

func (a *app) cmdReclassify(args []string) error {
	if err := parseFlagsOnly(a.flags("reclassify"), args); err != nil {
		return err
	}
	p, err := a.serviceParts()
	if err != nil {
		return err
	}
	defer p.close()
	return a.reclassifyAll(p)
}

// reclassifyAll refreshes every stored verdict with the current model,
// and the model assist's where it is configured.
func (a *app) reclassifyAll(p parts) error {
	asked, err := a.askUnsure(p.svc, p.st, p.m)
	if err != nil {
		return err
	}
	n, changed, err := p.svc.ReclassifyStored(asked)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "reclassified %d items; %d changed label\n", n, changed)
	return nil
}
