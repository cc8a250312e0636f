package detect

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// encoder appends the little-endian fixed-width encoding of model fields to
// a byte slice. Every value is written exactly (floats as their IEEE-754
// bits), so decoding restores bit-identical models.
type encoder struct{ b []byte }

func (e *encoder) u8(v uint8)    { e.b = append(e.b, v) }
func (e *encoder) u32(v uint32)  { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64)  { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) int(v int)     { e.u64(uint64(int64(v))) }
func (e *encoder) f64(v float64) { e.u64(math.Float64bits(v)) }
func (e *encoder) uvarint(v uint64) {
	e.b = binary.AppendUvarint(e.b, v)
}

func (e *encoder) bool(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

func (e *encoder) str(s string) {
	e.int(len(s))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(s []string) {
	e.int(len(s))
	for _, v := range s {
		e.str(v)
	}
}

func (e *encoder) f64s(v []float64) {
	e.int(len(v))
	for _, x := range v {
		e.f64(x)
	}
}

func (e *encoder) i32s(v []int32) {
	e.int(len(v))
	for _, x := range v {
		e.u32(uint32(x))
	}
}

func (e *encoder) ints(v []int) {
	e.int(len(v))
	for _, x := range v {
		e.int(x)
	}
}

// errTruncated is returned when serialised model bytes end early.
var errTruncated = errors.New("truncated model bytes")

// decoder reads what encoder wrote. The first failure is kept in err and
// every later read returns zero values, so callers check err once.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.err = errTruncated
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u8() uint8 {
	b := d.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *decoder) u32() uint32 {
	b := d.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *decoder) u64() uint64 {
	b := d.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (d *decoder) f64() float64 { return math.Float64frombits(d.u64()) }
func (d *decoder) bool() bool   { return d.u8() != 0 }

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errTruncated
		return 0
	}
	d.b = d.b[n:]
	return v
}

// int reads a signed length or count; it fails on negative values or values
// larger than max, which guards allocations against corrupt input.
func (d *decoder) int() int {
	v := int64(d.u64())
	if d.err == nil && (v < 0 || v > math.MaxInt32) {
		d.err = fmt.Errorf("corrupt model bytes: count %d out of range", v)
		return 0
	}
	return int(v)
}

// count reads a length and checks that at least size bytes per element
// remain, so a corrupt length cannot trigger a huge allocation.
func (d *decoder) count(size int) int {
	n := d.int()
	if d.err == nil && n*size > len(d.b) {
		d.err = errTruncated
		return 0
	}
	return n
}

func (d *decoder) str() string {
	n := d.count(1)
	return string(d.take(n))
}

func (d *decoder) strs() []string {
	n := d.count(8)
	if d.err != nil {
		return nil
	}
	v := make([]string, n)
	for i := range v {
		v[i] = d.str()
	}
	return v
}

func (d *decoder) f64s() []float64 {
	n := d.count(8)
	if d.err != nil {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = d.f64()
	}
	return v
}

func (d *decoder) i32s() []int32 {
	n := d.count(4)
	if d.err != nil {
		return nil
	}
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(d.u32())
	}
	return v
}

func (d *decoder) ints() []int {
	n := d.count(8)
	if d.err != nil {
		return nil
	}
	v := make([]int, n)
	for i := range v {
		v[i] = d.int()
	}
	return v
}

// fail records err unless an earlier error is already recorded.
func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("corrupt model bytes: "+format, args...)
	}
}
