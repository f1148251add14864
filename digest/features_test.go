package digest

import "testing"

func TestAppendSlug(t *testing.T) {
	cases := []struct{ url, want string }{
		{"https://www.example.com/2024/07/26/world/canada-wildfires-jasper-alberta.html", "canada wildfires jasper alberta"},
		{"https://example.com/news/tua-agrees-to-212m-extension/?utm_source=x#top", "tua agrees to 212m extension"},
		{"https://example.com/articles/crowdstrike-stock-outage-fixed-61fd3170", "crowdstrike stock outage fixed"},
		{"https://example.com/story/the_big_launch_day_1930967", "the big launch day"},
		{"https://example.com/sports/article/2024/jul/26/a-b", ""}, // no segment of three words
		{"https://example.com/news/%E5%BE%AE%E8%BB%9F-%E7%99%BC%E5%B8%83-x", "x"},
		{"https://example.com/", ""},
		{"https://example.com", ""},
		{"not a link", ""},
		{"https://arxiv.org/abs/2611.07777", ""},
	}
	for _, tc := range cases {
		if got := string(appendSlug(nil, tc.url)); got != tc.want {
			t.Errorf("appendSlug(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}
