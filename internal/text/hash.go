package text

// FNVOffset64 and FNVPrime64 are 64-bit FNV-1a's offset basis and prime,
// for the hot loops (the classifier's tokenizer, the grouping's word
// hash) that hash a word while reading it instead of calling FNV1a.
const (
	FNVOffset64 = 14695981039346656037
	FNVPrime64  = 1099511628211
)

// FNV1a is the 64-bit FNV-1a hash of b's bytes, the same value as
// hash/fnv's New64a without its allocation and interface call: the
// grouping and the classifier hash every word of every item.
func FNV1a[T ~string | ~[]byte](b T) uint64 {
	h := uint64(FNVOffset64)
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= FNVPrime64
	}
	return h
}
