package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/triagebot/triagebot/store"
)

// cmdCheck verifies the store file. Without a daemon it reads the file
// itself, trusting nothing in it (store.CheckFile); through a running
// daemon it checks the daemon's open store.
func (a *app) cmdCheck(args []string) error {
	pos, err := parse(a.flags("check"), args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("check takes no arguments")
	}
	var rep store.CheckReport
	if a.served != nil {
		_, st, _ := a.openStore()
		rep, err = st.Check()
	} else {
		cfg, cerr := a.config()
		if cerr != nil {
			return cerr
		}
		rep, err = store.CheckFile(cfg.DataDir, time.Second)
	}
	if errors.Is(err, store.ErrNoStore) || errors.Is(err, store.ErrLocked) {
		return err
	}
	fmt.Fprintf(a.stdout, "%s: %d bytes", rep.Path, rep.Size)
	if rep.Pages > 0 {
		fmt.Fprintf(a.stdout, ", %d pages in %d buckets", rep.Pages, rep.Buckets)
	}
	if len(rep.Problems) == 0 && err == nil {
		fmt.Fprintf(a.stdout, ", %d items: OK\n", rep.Items)
		return nil
	}
	fmt.Fprintf(a.stdout, ": DAMAGED:\n")
	for _, p := range rep.Problems {
		fmt.Fprintf(a.stdout, "  - %s\n", p)
	}
	return err
}
