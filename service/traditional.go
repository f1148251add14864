package service

import (
	"fmt"

	"github.com/longbridgeapp/opencc"
)

// newTraditional builds the Simplified→Traditional converter the digest
// applies to Chinese feed text for a zh-TW show: OpenCC's s2twp, which
// also swaps mainland terms for Taiwan's (软件 → 軟體, 视频 → 影片). Its
// dictionaries are embedded in the binary; loading them takes ~0.15 s, so
// a Service builds it once, and only when the digest is in zh-TW.
func newTraditional() (func(string) string, error) {
	cc, err := opencc.New("s2twp")
	if err != nil {
		return nil, fmt.Errorf("service: load the Simplified-to-Traditional Chinese dictionaries: %w", err)
	}
	return func(s string) string {
		out, err := cc.Convert(s)
		if err != nil {
			return s // the text as it came beats no text
		}
		return out
	}, nil
}

// traditional returns the converter, built on first use.
func (s *Service) traditional() (func(string) string, error) {
	s.tradOnce.Do(func() { s.trad, s.tradErr = newTraditional() })
	return s.trad, s.tradErr
}
