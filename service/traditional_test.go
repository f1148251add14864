package service

import "testing"

func TestTraditionalConvertsSimplifiedWithTaiwanPhrases(t *testing.T) {
	conv, err := newTraditional()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ in, want string }{
		{"微软发布新的软件", "微軟釋出新的軟體"},
		{"人工智能视频生成", "人工智慧影片生成"},
		{"已是繁體中文", "已是繁體中文"},
		{"English stays English 4.6", "English stays English 4.6"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := conv(tc.in); got != tc.want {
				t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
