package main

import (
	"flag"
	"strings"
)

// parseFlagsOnly parses a command that takes flags and no words: a stray
// argument ("poll extra") is a usage error rather than silently ignored,
// since it is usually a typo for a flag or a word meant for another command.
func parseFlagsOnly(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("unexpected argument %q: this command takes no arguments (flags start with -)", pos[0])
	}
	return nil
}

// normWeek writes an ISO week the one way the digest prints it:
// " 2026-w48 " becomes "2026-W48".
func normWeek(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}
