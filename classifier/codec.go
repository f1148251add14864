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

// The model file: gzip of "TBM1", hash bits (1 byte), temperature
// (float32), entry count (uint32), then per non-zero bucket its index
// (uint32) and its weights (nLabels × float32), little-endian.
const modelMagic = "TBM1"

// The learned-state blob: "TBL1", tags learned (uint32), entry count, then
// entries as in the model file; not compressed (it is small).
const learnedMagic = "TBL2"

// ErrBadModel marks a model or learned-state blob that cannot be read.
var ErrBadModel = errors.New("classifier: unreadable model data")

// Encode writes a model file.
func (m *Model) Encode() ([]byte, error) {
	var raw bytes.Buffer
	raw.WriteString(modelMagic)
	raw.WriteByte(hashBits)
	binary.Write(&raw, binary.LittleEndian, m.temp)
	writeEntries(&raw, m.w)
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("classifier: encode: %w", err)
	}
	return out.Bytes(), nil
}

// Decode reads a model file.
func Decode(b []byte) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	if len(raw) < 9 || string(raw[:4]) != modelMagic || raw[4] != hashBits {
		return nil, fmt.Errorf("%w: wrong header", ErrBadModel)
	}
	temp := math.Float32frombits(binary.LittleEndian.Uint32(raw[5:9]))
	w := make([]float32, hashSize*nLabels)
	if err := readEntries(raw[9:], w); err != nil {
		return nil, err
	}
	return newModel(w, temp), nil
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

// The learned-state blob: "TBL2", then per remembered item its label
// index (1 byte), title length (uint16) and title, feature count (uint32)
// and features (uint32 each). Not compressed (it is small).
func encodeDeltas(d *deltas) []byte {
	var buf bytes.Buffer
	buf.WriteString(learnedMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(len(d.items)))
	for _, mo := range d.items {
		buf.WriteByte(byte(labelIndex(mo.label)))
		binary.Write(&buf, binary.LittleEndian, uint16(len(mo.title)))
		buf.WriteString(mo.title)
		binary.Write(&buf, binary.LittleEndian, uint32(len(mo.feats)))
		binary.Write(&buf, binary.LittleEndian, mo.feats)
	}
	return buf.Bytes()
}

func decodeDeltas(b []byte) (*deltas, error) {
	bad := fmt.Errorf("%w: learned state is damaged (run `triagebot retrain` to rebuild it from the tags)", ErrBadModel)
	if len(b) < 8 || string(b[:4]) != learnedMagic {
		return nil, bad
	}
	n := binary.LittleEndian.Uint32(b[4:8])
	b = b[8:]
	d := &deltas{index: map[uint32][]int32{}}
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
		d.add(memo{label: labelOrder()[l], title: title, feats: feats})
	}
	if len(b) != 0 {
		return nil, bad
	}
	return d, nil
}
