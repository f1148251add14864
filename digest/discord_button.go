package digest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/triagebot/triagebot/news"
)

// ButtonAction is what a digest button does when clicked.
type ButtonAction string

// The digest's buttons. The renderer writes them, the bot reads them back:
// both go through ButtonID so the format lives in one place.
const (
	// ActTag labels the story's lead item; clicking the label it already
	// has takes the tag back.
	ActTag ButtonAction = "tag"
	// ActPick adds the clicker's pick, or takes it back if they had one.
	ActPick ButtonAction = "pick"
	// ActDetails shows the hosts what the public post leaves out
	// (confidence, item ids), privately.
	ActDetails ButtonAction = "info"
	// ActFullWeek sends the whole week as a Markdown file, privately.
	ActFullWeek ButtonAction = "full"
)

// ErrButtonID marks a custom_id that is not one of ours (or is damaged).
var ErrButtonID = errors.New("digest: not a triagebot button")

// ButtonID is a button's custom_id, parsed. Ref is an item id for tag,
// pick and details, and an ISO week for the full week.
type ButtonID struct {
	Action ButtonAction
	Label  news.Label // ActTag only
	Ref    string
}

// Format writes the custom_id: "tag:LABEL:REF", or "ACTION:REF".
func (b ButtonID) Format() string {
	if b.Action == ActTag {
		return string(b.Action) + ":" + string(b.Label) + ":" + b.Ref
	}
	return string(b.Action) + ":" + b.Ref
}

// ParseButtonID reads a custom_id written by Format. "unpick:REF", from
// messages posted before picks became per host, reads as a pick toggle.
func ParseButtonID(s string) (ButtonID, error) {
	if len(s) > MaxCustomID {
		return ButtonID{}, fmt.Errorf("%w: custom_id of %d bytes", ErrButtonID, len(s))
	}
	parts := strings.Split(s, ":")
	bad := func() (ButtonID, error) { return ButtonID{}, fmt.Errorf("%w: %q", ErrButtonID, s) }
	switch ButtonAction(parts[0]) {
	case ActTag:
		if len(parts) != 3 || parts[2] == "" {
			return bad()
		}
		l, err := news.ParseLabel(parts[1])
		if err != nil {
			return bad()
		}
		return ButtonID{Action: ActTag, Label: l, Ref: parts[2]}, nil
	case ActPick, ActDetails, ActFullWeek, "unpick":
		if len(parts) != 2 || parts[1] == "" {
			return bad()
		}
		a := ButtonAction(parts[0])
		if a == "unpick" {
			a = ActPick
		}
		return ButtonID{Action: a, Ref: parts[1]}, nil
	}
	return bad()
}
