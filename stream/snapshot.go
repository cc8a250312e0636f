package stream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Snapshot format: the magic "TFSA", a version byte, then the configuration and the state
// in a fixed order; integers are little-endian int64 or uvarint counts, floats their
// IEEE-754 bits. The window itself is not stored: it is rebuilt from the recent samples,
// which gives the same diagrams.
//
// Version 2 appends the contextual model of each field (once the first window is full)
// after the suppression counter. Version 3 appends, after that, the range of each field
// and the pending score of the early detector (see earlyRange). Versions 1 and 2 are
// still decoded: the contextual models of version 1 are relearnt from the recent samples,
// and the ranges of both from the samples if they are all still held, else set to
// (-Inf, +Inf), which keeps the early detector silent for the rest of the warmup.
const (
	snapshotMagic   = "TFSA"
	snapshotVersion = 3
)

// ErrSnapshot is wrapped by the errors of UnmarshalBinary for data that is not a valid
// snapshot of this version or of versions 1 and 2.
var ErrSnapshot = errors.New("stream: invalid snapshot")

// MarshalBinary returns a snapshot of the whole state of a: its configuration, the
// recent samples and every learnt statistic. The encoding is versioned and
// deterministic: the same state gives the same bytes. UnmarshalBinary restores it, after
// which Push gives the same analyses as a would. It never returns an error.
func (a *Analyzer) MarshalBinary() ([]byte, error) {
	e := encoder{b: make([]byte, 0, 256+8*(len(a.ring)+len(a.sc.refBuf)+8*a.nf+len(a.sc.hist)*(rarityBins+4))+
		len(a.ctx)*(32+4*(contextCells+contextPrefixes))+16*a.nf+32)}
	e.b = append(e.b, snapshotMagic...)
	e.b = append(e.b, snapshotVersion)

	c := &a.cfg
	e.f64(c.AnomalyThreshold)
	e.int(c.WindowSize)
	e.int(c.Stride)
	e.int(c.EmbeddingDim)
	e.int(int(c.Delay))
	e.int(c.MaxDim)
	e.f64(c.Weights.Betti)
	e.f64(c.Weights.Entropy)
	e.f64(c.Weights.ML)
	e.int(len(c.Fields))
	for _, f := range c.Fields {
		e.int(len(f))
		e.b = append(e.b, f...)
	}
	e.int(c.Warmup)

	e.int(a.tau)
	e.int(int(a.seen))
	e.f64s(a.ring)
	started := a.ref0 != nil
	e.bool(started)
	if started {
		e.f64s(a.ref0)
		e.f64s(a.refScale)
		e.f64s(a.centre)
		e.f64s(a.dev)
	}

	s := &a.sc
	e.int(s.refEvery)
	e.int(s.refTick)
	e.bool(s.refBuf != nil)
	if s.refBuf != nil {
		e.f64s(s.refBuf)
	}
	for i := range s.hist {
		h := &s.hist[i]
		e.f64(h.centre)
		e.f64(h.scale)
		e.f64(h.weight)
		e.f64(h.total)
		for _, v := range h.bins {
			e.f64(v)
		}
	}
	e.int(s.hold)
	for f := range a.ctx {
		m := &a.ctx[f]
		e.int(m.seen)
		e.b = append(e.b, m.last[:]...)
		e.f64(m.weight)
		for _, v := range m.seq {
			e.f32(v)
		}
		for _, v := range m.prefix {
			e.f32(v)
		}
		e.f64(a.ctxSur[f])
	}
	e.f64s(a.early.lo)
	e.f64s(a.early.hi)
	e.f64(a.early.score)
	return e.b, nil
}

// UnmarshalBinary replaces the state of a with a snapshot made by MarshalBinary. It
// returns an error wrapping ErrSnapshot, and leaves a unchanged, if data is not a valid
// snapshot of this version or of versions 1 and 2. a may be a zero Analyzer.
//
// A snapshot of version 1 (before the contextual model) is accepted too: everything it
// holds is restored and the contextual model of each field is relearnt from the recent
// samples, so the analyses differ slightly from those of an uninterrupted stream until
// the model has seen a few hundred samples. Snapshots of versions 1 and 2 (before the
// early detector) restore its ranges from the recent samples when no sample is missing
// from them; otherwise the early detector stays silent until the end of the warmup.
func (a *Analyzer) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	if len(data) < len(snapshotMagic)+1 || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return fmt.Errorf("%w: bad magic", ErrSnapshot)
	}
	version := data[len(snapshotMagic)]
	if version < 1 || version > snapshotVersion {
		return fmt.Errorf("%w: version %d, want 1 to %d", ErrSnapshot, version, snapshotVersion)
	}
	d.b = data[len(snapshotMagic)+1:]

	var c Config
	c.AnomalyThreshold = d.f64()
	c.WindowSize = d.int()
	c.Stride = d.int()
	c.EmbeddingDim = d.int()
	c.Delay = Delay(d.int())
	c.MaxDim = d.int()
	c.Weights = Weights{Betti: d.f64(), Entropy: d.f64(), ML: d.f64()}
	nf := d.count(MaxFields)
	c.Fields = make([]string, nf)
	for i := range c.Fields {
		n := d.count(MaxFieldName)
		c.Fields[i] = string(d.take(n))
	}
	c.Warmup = d.int()
	if d.err != nil {
		return d.err
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrSnapshot, err)
	}
	n := newAnalyzer(c, defaultTuning())

	n.tau = d.int()
	n.seen = int64(d.int())
	d.f64sInto(n.ring)
	if d.bool() {
		n.ref0 = d.f64sN(n.nf)
		n.refScale = d.f64sN(n.nf)
		n.centre = d.f64sN(n.nf)
		n.dev = d.f64sN(n.nf)
	}
	s := &n.sc
	s.refEvery = d.int()
	s.refTick = d.int()
	if d.bool() {
		s.refBuf = append(s.refBuf, d.f64sN(-1)...)
	} else {
		s.refBuf = nil
	}
	for i := range s.hist {
		h := &s.hist[i]
		h.centre, h.scale, h.weight, h.total = d.f64(), d.f64(), d.f64(), d.f64()
		for j := range h.bins {
			h.bins[j] = d.f64()
		}
	}
	s.hold = d.int()
	if version > 1 && n.ref0 != nil && d.err == nil {
		n.ctx = make([]contextModel, n.nf)
		n.ctxSur = make([]float64, n.nf)
		for f := range n.ctx {
			m := &n.ctx[f]
			m.seen = d.int()
			copy(m.last[:], d.take(len(m.last)))
			m.weight = d.f64()
			for i := range m.seq {
				m.seq[i] = d.f32()
			}
			for i := range m.prefix {
				m.prefix[i] = d.f32()
			}
			n.ctxSur[f] = d.f64()
		}
	}
	if version >= 3 {
		d.f64sInto(n.early.lo)
		d.f64sInto(n.early.hi)
		n.early.score = d.f64()
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err == nil {
		d.check(n)
	}
	if d.err != nil {
		return d.err
	}
	if version == 1 && n.ref0 != nil {
		n.relearnContext() // from the samples, once they are known to be valid
	}
	if version < 3 {
		n.relearnRange()
	}
	a.adopt(n)
	return nil
}

// check validates the consistency of a decoded state.
func (d *decoder) check(n *Analyzer) {
	started := n.seen >= int64(n.needed)
	s := &n.sc
	switch {
	case n.seen < 0:
		d.fail("negative sample count")
	case started != (n.ref0 != nil):
		d.fail("reference does not match %d samples", n.seen)
	case (n.d == 1 || n.cfg.Delay != AutoDelay) && n.tau != n.tmax:
		d.fail("delay %d, configured %d", n.tau, n.tmax)
	case n.d > 1 && n.cfg.Delay == AutoDelay && started && (n.tau < 1 || n.tau > n.tmax):
		d.fail("delay %d out of [1, %d]", n.tau, n.tmax)
	case n.d > 1 && n.cfg.Delay == AutoDelay && !started && n.tau != 0:
		d.fail("delay chosen before the first window")
	case s.refEvery < 1 || s.refTick < 0 || s.hold < 0:
		d.fail("negative counter")
	case s.refBuf != nil && (len(s.refBuf)%s.nfeat != 0 || len(s.refBuf) >= s.t.refWindows*s.nfeat):
		d.fail("reference buffer of %d values", len(s.refBuf))
	}
	if s.refBuf != nil {
		s.refN = len(s.refBuf) / s.nfeat
	}
	finite := func(v ...float64) bool {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	if !finite(n.ring...) || !finite(n.ref0...) || !finite(n.centre...) || !finite(s.refBuf...) {
		d.fail("value not finite")
		return
	}
	for f := range n.refScale {
		if !(n.refScale[f] > 0) || !finite(n.refScale[f]) || !(n.dev[f] >= 0) || !finite(n.dev[f]) {
			d.fail("scale of field %d not positive", f)
			return
		}
	}
	// Push's range check, applied to the samples kept: a window built from them cannot overflow.
	for i, v := range n.ring {
		if math.Abs(v) > MaxValue || (n.ref0 != nil && math.Abs(n.norm(v, i%n.nf)) > MaxValue) {
			d.fail("sample %g out of range", v)
			return
		}
	}
	e := &n.early
	if !finite(e.score) || e.score < 0 || e.score > 100 {
		d.fail("early score %g out of [0, 100]", e.score)
		return
	}
	for f := range e.lo {
		lo, hi := e.lo[f], e.hi[f]
		known := finite(lo, hi) && lo <= hi && math.Abs(lo) <= MaxValue && math.Abs(hi) <= MaxValue
		if !known && !(math.IsInf(lo, -1) && math.IsInf(hi, 1)) {
			d.fail("range [%g, %g] of field %d", lo, hi, f)
			return
		}
	}
	for f := range n.ctx {
		m := &n.ctx[f]
		ok := m.seen >= 0 && m.seen <= contextOrder && m.weight >= 1 && m.weight <= contextWeightLimit &&
			finite(n.ctxSur[f]) && n.ctxSur[f] >= 0
		for _, q := range m.last {
			ok = ok && q < contextLevels
		}
		for _, c := range m.seq {
			ok = ok && c >= 0 && c <= math.MaxFloat32
		}
		for _, c := range m.prefix {
			ok = ok && c >= 0 && c <= math.MaxFloat32
		}
		if !ok {
			d.fail("contextual model %d is inconsistent", f)
			return
		}
	}
	for i := range s.hist {
		h := &s.hist[i]
		if s.refBuf != nil {
			if *h != (rarity{}) {
				d.fail("histogram %d filled before its reference", i)
			}
			continue
		}
		ok := h.scale > 0 && h.weight >= 1 && h.weight <= weightLimit && h.total >= 0 &&
			finite(h.centre, h.scale, h.total) && finite(h.bins[:]...)
		for _, c := range h.bins {
			ok = ok && c >= 0
		}
		if !ok {
			d.fail("histogram %d is inconsistent", i)
			return
		}
	}
}

// relearnContext builds the contextual models from the samples in the ring: the
// decoding of a version 1 snapshot.
func (a *Analyzer) relearnContext() {
	a.ctx = make([]contextModel, a.nf)
	a.ctxSur = make([]float64, a.nf)
	p := make([]float64, a.nf)
	for s := a.seen - int64(a.needed); s < a.seen; s++ {
		for f := range p {
			p[f] = a.sample(s, f)
		}
		a.learnContext(p)
	}
	clear(a.ctxSur)
}

// relearnRange sets the ranges of the early detector from the samples in the ring when
// they are all the samples of the stream, else to (-Inf, +Inf): the decoding of a
// snapshot of version 1 or 2.
func (a *Analyzer) relearnRange() {
	e := &a.early
	if a.seen > int64(len(a.ring)/a.nf) {
		for f := range e.lo {
			e.lo[f], e.hi[f] = math.Inf(-1), math.Inf(1)
		}
		return
	}
	for s := range a.seen {
		for f := range e.lo {
			v := a.sample(s, f)
			if s == 0 {
				e.lo[f], e.hi[f] = v, v
			}
			e.lo[f], e.hi[f] = math.Min(e.lo[f], v), math.Max(e.hi[f], v)
		}
	}
}

type encoder struct{ b []byte }

func (e *encoder) int(v int)     { e.b = binary.LittleEndian.AppendUint64(e.b, uint64(int64(v))) }
func (e *encoder) f64(v float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }
func (e *encoder) f32(v float32) { e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(v)) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) f64s(v []float64) {
	e.int(len(v))
	for _, x := range v {
		e.f64(x)
	}
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrSnapshot, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.fail("truncated")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u64() uint64 {
	if b := d.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (d *decoder) f32() float32 {
	if b := d.take(4); b != nil {
		return math.Float32frombits(binary.LittleEndian.Uint32(b))
	}
	return 0
}

func (d *decoder) int() int     { return int(int64(d.u64())) }
func (d *decoder) f64() float64 { return math.Float64frombits(d.u64()) }
func (d *decoder) bool() bool {
	b := d.take(1)
	if b != nil && b[0] > 1 {
		d.fail("bad boolean")
	}
	return b != nil && b[0] == 1
}

// count reads a length in [0, limit].
func (d *decoder) count(limit int) int {
	n := d.int()
	if n < 0 || n > limit {
		d.fail("length %d out of [0, %d]", n, limit)
		return 0
	}
	return n
}

// f64sN reads a float slice of length want, or of any length that fits when want < 0.
func (d *decoder) f64sN(want int) []float64 {
	n := d.count(len(d.b) / 8)
	if want >= 0 && n != want && d.err == nil {
		d.fail("%d values, want %d", n, want)
	}
	if d.err != nil {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = d.f64()
	}
	return v
}

// f64sInto reads a float slice of exactly len(dst) values into dst.
func (d *decoder) f64sInto(dst []float64) {
	if v := d.f64sN(len(dst)); v != nil {
		copy(dst, v)
	}
}
