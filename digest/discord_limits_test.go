package digest

import "testing"

// TestDiscordLimits pins the exported limits to Discord's documented
// numbers (discord.com/developers/docs/resources/message#create-message and
// resources/message#embed-object-embed-limits). The bot clips its own
// replies, announcements and role-mention prefixes with these constants, so
// one raised above Discord's figure is a 400 from the API, not a longer
// message; the number here is Discord's, typed from its documentation.
func TestDiscordLimits(t *testing.T) {
	cases := []struct {
		name      string
		got, want int
	}{
		{"message content", MaxContent, 2000},
		{"embeds per message", MaxEmbeds, 10},
		{"all embeds' text", MaxEmbedTotal, 6000},
		{"embed title", MaxEmbedTitle, 256},
		{"embed description", MaxEmbedDesc, 4096},
		{"fields per embed", MaxFields, 25},
		{"field name", MaxFieldName, 256},
		{"field value", MaxFieldValue, 1024},
		{"footer text", MaxFooter, 2048},
		{"action rows", MaxActionRows, 5},
		{"buttons per row", MaxButtonsPerRow, 5},
		{"custom_id", MaxCustomID, 100},
		{"button label", MaxButtonLabel, 80},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("limit is %d; Discord's is %d", tc.got, tc.want)
			}
		})
	}
}
