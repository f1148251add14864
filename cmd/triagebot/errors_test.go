package main

import (
	"strings"
	"testing"
)

// TestUsageErrorsSayWhatToFix: a command-line mistake is printed as the
// fix, once, with the command's usage and exit code 2 (no "usage: usage").
func TestUsageErrorsSayWhatToFix(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"untag"}, "triagebot untag: give the item: triagebot untag ITEM\nusage: triagebot untag "},
		{[]string{"feeds", "remove"}, "triagebot feeds: give the feed's name (see `triagebot feeds list`)\nusage: triagebot feeds "},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := c.run(tc.args...)
			if code != exitUsage || !strings.HasPrefix(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tc.want)
			}
		})
	}
}

// TestFeedsRemoveEnableList: the CLI's feed commands share the bot's
// service: a removed feed leaves the list, an unknown one is an error.
func TestFeedsRemoveEnableList(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("feeds", "list"); code != 0 || !strings.Contains(out, "Broken") {
		t.Fatalf("list: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := c.run("feeds", "remove", "Broken"); code != 0 || !strings.Contains(out, `removed "Broken"`) || !strings.Contains(out, "config file") {
		t.Errorf("remove: %d %s %s", code, out, errOut)
	}
	if code, out, _ := c.run("feeds", "list"); code != 0 || strings.Contains(out, "Broken") || !strings.Contains(out, "Lab") {
		t.Errorf("a removed feed is still listed: %s", out)
	}
	if code, out, errOut := c.run("feeds", "enable", "Lab"); code != 0 || !strings.Contains(out, `enabled "Lab"`) {
		t.Errorf("enable: %d %s %s", code, out, errOut)
	}
	for _, args := range [][]string{{"feeds", "enable", "Nope"}, {"feeds", "remove", "Nope"}} {
		if code, _, errOut := c.run(args...); code != exitError || !strings.Contains(errOut, "not found") {
			t.Errorf("%v: %d %q", args, code, errOut)
		}
	}
}
