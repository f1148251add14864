package classifier

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The model file: gzip of "TBM2", hash bits (1 byte), the feature set's
// hash (uint64), the temperatures per slice (nSlices × float32), the
// score offsets per slice (nSlices × nLabels × float32), entry
// count (uint32), then per non-zero bucket its index (uint32) and its
// weights (nLabels × float32), little-endian.
const modelMagic = "TBM2"

// The learned-state blob (see encodeTagMemory).
const learnedMagic = "TBL3"

// learnedMagicV2 is the previous learned-state format (no feed names),
// still read so that a restart after an upgrade keeps what was learned.
const learnedMagicV2 = "TBL2"

// ErrBadModel marks a model or learned-state blob that cannot be read.
var ErrBadModel = errors.New("classifier: unreadable model data")

// ErrFeatureMismatch marks a model file trained on other features than
// this code extracts: its weights would be read with the wrong meanings.
var ErrFeatureMismatch = errors.New("classifier: model was built for other features")

// Encode writes a model file.
func (m *Model) Encode() ([]byte, error) {
	var raw bytes.Buffer
	raw.WriteString(modelMagic)
	raw.WriteByte(hashBits)
	binary.Write(&raw, binary.LittleEndian, m.ext.cfg.Hash())
	binary.Write(&raw, binary.LittleEndian, m.temp)
	binary.Write(&raw, binary.LittleEndian, m.bias)
	writeEntries(&raw, m.w)
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("classifier: encode: %w", err)
	}
	return out.Bytes(), nil
}

// Decode reads a model file built for DefaultFeatures.
func Decode(b []byte) (*Model, error) { return DecodeFor(b, DefaultFeatures()) }

// DecodeFor reads a model file built for the given features; a file built
// for others is refused with ErrFeatureMismatch.
func DecodeFor(b []byte, cfg Features) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	const head = 4 + 1 + 8 + 4*nSlices + 4*nSlices*nLabels
	if len(raw) < head || string(raw[:4]) != modelMagic {
		return nil, fmt.Errorf("%w: wrong header", ErrBadModel)
	}
	if raw[4] != hashBits {
		return nil, fmt.Errorf("%w: %d hash bits, this code uses %d (retrain: go generate ./classifier)", ErrFeatureMismatch, raw[4], hashBits)
	}
	if got, want := binary.LittleEndian.Uint64(raw[5:13]), cfg.Hash(); got != want {
		return nil, fmt.Errorf("%w: feature hash %016x, this code extracts %016x (retrain: go generate ./classifier)", ErrFeatureMismatch, got, want)
	}
	var temp [nSlices]float32
	for i := range temp {
		temp[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[13+4*i:]))
		if !(temp[i] > 0 && temp[i] < 1000) {
			return nil, fmt.Errorf("%w: bad temperature", ErrBadModel)
		}
	}
	var bias [nSlices][nLabels]float32
	for i := range bias {
		for c := range bias[i] {
			bias[i][c] = math.Float32frombits(binary.LittleEndian.Uint32(raw[13+4*nSlices+4*(i*nLabels+c):]))
			if !(bias[i][c] > -100 && bias[i][c] < 100) {
				return nil, fmt.Errorf("%w: bad offset", ErrBadModel)
			}
		}
	}
	w := make([]float32, hashSize*nLabels)
	if err := readEntries(raw[head:], w); err != nil {
		return nil, err
	}
	m := newModel(w, temp, cfg)
	m.bias = bias
	return m, nil
}

func writeEntries(buf *bytes.Buffer, w []float32) {
	var n uint32
	for i := 0; i < hashSize; i++ {
		if w[i*nLabels] != 0 || w[i*nLabels+1] != 0 || w[i*nLabels+2] != 0 {
			n++
		}
	}
	binary.Write(buf, binary.LittleEndian, n)
	for i := 0; i < hashSize; i++ {
		o := i * nLabels
		if w[o] == 0 && w[o+1] == 0 && w[o+2] == 0 {
			continue
		}
		binary.Write(buf, binary.LittleEndian, uint32(i))
		binary.Write(buf, binary.LittleEndian, w[o:o+nLabels])
	}
}

func readEntries(b []byte, w []float32) error {
	if len(b) < 4 {
		return fmt.Errorf("%w: truncated", ErrBadModel)
	}
	n := binary.LittleEndian.Uint32(b)
	b = b[4:]
	const size = 4 + 4*nLabels
	if uint64(len(b)) != uint64(n)*size {
		return fmt.Errorf("%w: %d entries in %d bytes", ErrBadModel, n, len(b))
	}
	for ; len(b) > 0; b = b[size:] {
		i := binary.LittleEndian.Uint32(b)
		if i >= hashSize {
			return fmt.Errorf("%w: bucket %d out of range", ErrBadModel, i)
		}
		for c := range nLabels {
			v := math.Float32frombits(binary.LittleEndian.Uint32(b[4+4*c:]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("%w: bad weight", ErrBadModel)
			}
			w[int(i)*nLabels+c] = v
		}
	}
	return nil
}

// The learned-state blob: "TBL3", item count (uint32), then per
// remembered item its label index (1 byte), title length (uint16) and
// title, feed name length (uint16) and name, feature count (uint32) and
// features (uint32 each). Not compressed (it is small). "TBL2" is the
// same without feed names.
func encodeTagMemory(d *tagMemory) []byte {
	var buf bytes.Buffer
	buf.WriteString(learnedMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(len(d.items)))
	for _, mo := range d.items {
		buf.WriteByte(byte(labelIndex(mo.label)))
		binary.Write(&buf, binary.LittleEndian, uint16(len(mo.title)))
		buf.WriteString(mo.title)
		binary.Write(&buf, binary.LittleEndian, uint16(len(mo.source)))
		buf.WriteString(mo.source)
		binary.Write(&buf, binary.LittleEndian, uint32(len(mo.feats)))
		binary.Write(&buf, binary.LittleEndian, mo.feats)
	}
	return buf.Bytes()
}

func decodeTagMemory(b []byte) (*tagMemory, error) {
	bad := fmt.Errorf("%w: learned state is damaged (run `triagebot retrain` to rebuild it from the tags)", ErrBadModel)
	if len(b) < 8 || (string(b[:4]) != learnedMagic && string(b[:4]) != learnedMagicV2) {
		return nil, bad
	}
	withSource := string(b[:4]) == learnedMagic
	n := binary.LittleEndian.Uint32(b[4:8])
	b = b[8:]
	d := newTagMemory()
	for range n {
		if len(b) < 3 {
			return nil, bad
		}
		l := int(b[0])
		tl := int(binary.LittleEndian.Uint16(b[1:3]))
		b = b[3:]
		if l >= nLabels || len(b) < tl+4 {
			return nil, bad
		}
		title := string(b[:tl])
		b = b[tl:]
		var source string
		if withSource {
			if len(b) < 2 {
				return nil, bad
			}
			sl := int(binary.LittleEndian.Uint16(b))
			if len(b) < 2+sl+4 {
				return nil, bad
			}
			source, b = string(b[2:2+sl]), b[2+sl:]
		}
		fc := binary.LittleEndian.Uint32(b)
		b = b[4:]
		if uint64(len(b)) < uint64(fc)*4 {
			return nil, bad
		}
		feats := make([]uint32, fc)
		for i := range feats {
			feats[i] = binary.LittleEndian.Uint32(b[4*i:]) & (hashSize - 1)
		}
		b = b[4*fc:]
		d.add(memo{label: labelOrder()[l], title: title, source: source, feats: feats})
	}
	if len(b) != 0 {
		return nil, bad
	}
	return d, nil
}
