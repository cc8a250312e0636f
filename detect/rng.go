package detect

import "math"

// rng is a small deterministic pseudo-random generator (xoshiro256** seeded
// through SplitMix64). Its output is defined by this file alone, so a model
// fitted with a given random_state is the same on every Go release and
// platform.
type rng struct{ s [4]uint64 }

// newRNG returns a generator seeded from seed and stream; distinct streams of
// one seed give independent sequences (used for one stream per tree).
func newRNG(seed, stream uint64) *rng {
	r := &rng{}
	x := seed*0x9e3779b97f4a7c15 ^ (stream+1)*0xd1b54a32d192ed03
	for i := range r.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	return r
}

func rotl(x uint64, k uint) uint64 { return x<<k | x>>(64-k) }

// uint64 returns the next 64 random bits.
func (r *rng) uint64() uint64 {
	s := &r.s
	out := rotl(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = rotl(s[3], 45)
	return out
}

// float64 returns a uniform value in [0, 1) with 53 random bits.
func (r *rng) float64() float64 { return float64(r.uint64()>>11) * 0x1p-53 }

// intn returns a uniform integer in [0, n); n must be positive.
// It uses Lemire's multiply-and-reject method, so it is unbiased.
func (r *rng) intn(n int) int {
	un := uint64(n)
	hi, lo := mul64(r.uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = mul64(r.uint64(), un)
		}
	}
	return int(hi)
}

func mul64(a, b uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	a0, a1 := a&mask32, a>>32
	b0, b1 := b&mask32, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1 := t&mask32 + a0*b1
	hi = a1*b1 + t>>32 + w1>>32
	lo = a * b
	return hi, lo
}

// norm returns a standard normal variate (Marsaglia's polar method).
func (r *rng) norm() float64 {
	for {
		u := 2*r.float64() - 1
		v := 2*r.float64() - 1
		s := u*u + v*v
		if s > 0 && s < 1 {
			return u * math.Sqrt(-2*math.Log(s)/s)
		}
	}
}

// partialShuffle moves k uniformly chosen elements of p to p[:k] (a partial
// Fisher-Yates shuffle). p stays a permutation of its former contents, so
// repeated calls sample without replacement from the same pool.
func (r *rng) partialShuffle(p []int, k int) {
	for i := 0; i < k; i++ {
		j := i + r.intn(len(p)-i)
		p[i], p[j] = p[j], p[i]
	}
}
