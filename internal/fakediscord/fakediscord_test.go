package fakediscord

import (
	"net/http"
	"strings"
	"testing"
)

// TestMessagesAreSnapshots: what Messages, AllMessages and Edits return
// is the caller's to change, and an edit from the bot never writes into
// a body a test already holds. (They shared one map: a test replaying a
// click with the message's new buttons raced the bot's PATCH of the
// same message, and -race failed the bot's tests now and then.)
func TestMessagesAreSnapshots(t *testing.T) {
	f := New("tok")
	defer f.Close()
	do := func(method, path, body string) {
		t.Helper()
		req, err := http.NewRequest(method, f.URL()+"/api/v10/"+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bot tok")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
	}
	do("POST", "channels/7/messages", `{"content":"first"}`)
	held := f.Messages("7")[0]
	all := f.AllMessages()[0]
	do("PATCH", "channels/7/messages/"+held.ID, `{"content":"edited"}`)
	if held.Content() != "first" || all.Content() != "first" {
		t.Errorf("an edit changed bodies already returned: %q, %q", held.Content(), all.Content())
	}
	if got := f.Messages("7")[0].Content(); got != "edited" {
		t.Errorf("stored message after the edit: %q", got)
	}
	held.Body["content"] = "changed by the test"
	f.AllMessages()[0].Body["content"] = "changed too"
	f.Edits()[0].Body["content"] = "and this"
	if got := f.Messages("7")[0].Content(); got != "edited" {
		t.Errorf("a returned body's change reached the stored message: %q", got)
	}
	if got := f.Edits()[0].Content(); got != "edited" {
		t.Errorf("a returned edit's change reached the stored edit: %q", got)
	}
}
