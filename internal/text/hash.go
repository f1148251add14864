package text

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// FNV1a is the 64-bit FNV-1a hash of b's bytes, the same value as
// hash/fnv's New64a without its allocation and interface call: the
// grouping and the classifier hash every word of every item.
func FNV1a[T ~string | ~[]byte](b T) uint64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= fnvPrime64
	}
	return h
}
