package digest

import (
	"fmt"
	"strings"
	"testing"
)

// TestNameKeysExactly pins every key names makes, in order, for the
// inputs that take each way of building one: ASCII parts joined on the
// stack, non-ASCII names lowercased by rune, and names too long for the
// stack buffer.
func TestNameKeysExactly(t *testing.T) {
	mega := strings.ToLower("Mega" + strings.Repeat("Name", 15))
	long := "Super" + strings.Repeat("Long", 16) + "-X9"
	cases := []struct {
		text string
		want string // key:model, space-separated
	}{
		{"Anthropic released Claude Opus 4 today. And GPT-5.", "claude:false opus4:true opus:false claude4:true claudeopus4:true gpt5:true"},
		{"The new Ärger-Modell 3 and Über 7 from ÉCOLE", "ärgermodell3:true ärger-modell:false über7:true über:false école:false"},
		{"Meet the " + long + " model", strings.ToLower(strings.ReplaceAll(long, "-", "")) + ":true"},
		{"Then Mega" + strings.Repeat("Name", 15) + " Opus 12 ships", mega + ":false opus12:true opus:false " + mega + "12:true " + mega + "opus12:true"},
		{"GPT-5 and gpt-5 and Gpt-5 mini", "gpt5:true"},
		// A particle written onto a name is no part of it; Greek is
		// lowercased as terms lowercases it (final sigma as sigma).
		{"OpenAI는 GPT-5를 공개 ΣΟΦΟΣ", "openai:false gpt5:true σοφοσ:false"},
		// A lowercase word between keeps a name from its version.
		{"The Opus-like 5 and Opus 6 and Claude state-of-the-art 7", "opuslike5:true opus-like:false opus6:true opus:false claude:false"},
		// Only the first 64 tokens count, lowercase words included.
		{strings.Repeat("word ", 61) + "Then Falcon 9 Mars 2", "then:false falcon9:true falcon:false then9:true thenfalcon9:true"},
		{strings.Repeat("word ", 60) + "Then Falcon 9 Mars 2", "then:false falcon9:true falcon:false then9:true thenfalcon9:true mars:false"},
	}
	for _, tc := range cases {
		var got []string
		for _, n := range names(tc.text, nil) {
			got = append(got, fmt.Sprintf("%s:%v", n.key, n.model))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("names(%q)\n got %s\nwant %s", tc.text, g, tc.want)
		}
	}
}
