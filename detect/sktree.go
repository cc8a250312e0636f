package detect

import (
	"math"
	"slices"
)

// scikit-learn's own draws for IsolationForest (parameter draws = "sklearn").
//
// With these draws fit grows exactly the trees scikit-learn 1.2's
// IsolationForest grows for the same data, n_estimators, max_samples,
// max_features and random_state, and scores rows as it does, inputs rounded
// to float32 as scikit-learn rounds them. It follows scikit-learn's code path
// draw for draw:
//
//   - BaseBagging._fit: seeds = RandomState(random_state).randint(2^31-1,
//     size=n_estimators).
//   - Tree t: its random_state is RandomState(seeds[t]).randint(2^31-1)
//     (_set_random_states); a second RandomState(seeds[t]) draws the features
//     (sample_without_replacement(d, max_features)) and then the rows
//     (sample_without_replacement(n, max_samples)) (_generate_bagging_indices).
//     The rows enter the tree as sample weights (1 drawn, 0 not), so the tree
//     holds them in row order.
//   - ExtraTreeRegressor(max_features=1, splitter="random"): its splitter
//     seeds the tree's rand_r stream with RandomState(tree seed).randint(0,
//     2^31-1) and grows depth first, left before right, to depth
//     ceil(log2(max_samples)). At a node RandomSplitter draws features
//     without replacement, skipping those known constant from an ancestor and
//     setting aside those found constant (max <= min + 1e-7, in float32),
//     until one is not constant; the threshold is min + (max - min) * r /
//     (2^31 - 1), pulled back to min if it equals max.
//
// The one thing not replicated is the regression target scikit-learn draws
// for the tree (a uniform per row): it only ends a split when a node's
// targets have zero variance, which two or more distinct uniform draws never
// do in practice. Golden tests compare the scores with scikit-learn's on
// synthetic tables (sktree_test.go) and on the ODDS sets (bench/odds).

// Draws values of IsolationForest.
const (
	drawsStratified = "stratified"
	drawsSklearn    = "sklearn"
)

// randRMax is RAND_R_MAX of scikit-learn's tree utilities.
const randRMax = 0x7fffffff

// randR is scikit-learn's tree random stream (our_rand_r: xorshift32).
type randR uint32

// next returns the next draw in [0, randRMax].
func (s *randR) next() uint32 {
	if *s == 0 {
		*s = 1 // DEFAULT_SEED
	}
	v := uint32(*s)
	v ^= v << 13
	v ^= v >> 17
	v ^= v << 5
	*s = randR(v)
	return v % (randRMax + 1)
}

// intn is rand_int(low, high): low + r % (high - low).
func (s *randR) intn(low, high int) int { return low + int(s.next()%uint32(high-low)) }

// uniform is rand_uniform(low, high).
func (s *randR) uniform(low, high float64) float64 {
	return float64((high-low)*float64(s.next())/randRMax) + low
}

// skBuilder grows one scikit-learn tree: the splitter's state.
type skBuilder struct {
	f        *iforest
	x        []float32 // rows, float32 as scikit-learn holds them
	d        int
	cols     []int // tree feature k is column cols[k]
	features []int // the splitter's feature permutation
	constant []int // its constant_features
	samples  []int
	r        randR
}

// fitSklearn grows the forest with scikit-learn's draws (see above) and
// returns the training scores in train.
func (f *iforest) fitSklearn(x []float64, n, d int, train []float64) {
	ms := f.begin(n)
	x32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	nf := max(1, int(f.maxFeatures*float64(d)))
	seeds := make([]uint32, f.nTrees)
	rs := newMT19937(uint32(f.seed))
	for t := range seeds {
		seeds[t] = uint32(rs.randint(math.MaxInt32))
	}
	b := &skBuilder{f: f, x: x32, d: d, features: make([]int, nf), constant: make([]int, nf)}
	allCols := make([]int, d)
	for i := range allCols {
		allCols[i] = i
	}
	for t, seed := range seeds {
		treeSeed := uint32(newMT19937(seed).randint(math.MaxInt32))
		bag := newMT19937(seed)
		cols := bag.sampleWithoutReplacement(d, nf)
		rows := bag.sampleWithoutReplacement(n, ms)
		b.cols = allCols
		if nf != d { // scikit-learn fits the tree on X[:, features]
			b.cols = cols
		}
		slices.Sort(rows) // the tree sees the drawn rows as weights, in row order
		b.samples = rows
		b.r = randR(newMT19937(treeSeed).randint(randRMax))
		for i := range b.features {
			b.features[i] = i
		}
		f.roots[t] = f.newNode()
		b.grow(f.roots[t], 0, len(rows), 0, 0)
	}
	if ms == 1 {
		// One training row: every tree is a lone leaf and c(1) = 0, so the
		// path ratio is 0/0; scikit-learn sets it to 1 (score 0.5).
		f.norm = float64(f.nTrees)
		for _, r := range f.roots {
			f.leaf[r] = 1
		}
	}
	f.addSentinel()
	f.scoreBatch(train, x, n, d)
}

// grow builds node i from samples[start:end] at depth, nConst features
// being known constant (DepthFirstTreeBuilder with RandomSplitter.node_split).
func (b *skBuilder) grow(i int32, start, end, depth, nConst int) {
	f := b.f
	if depth >= f.depth || end-start < 2 {
		f.setLeaf(i, depth, end-start)
		return
	}
	feat, thr, pos, nTotal := b.split(start, end, nConst)
	if pos >= end {
		f.setLeaf(i, depth, end-start)
		return
	}
	left := f.newNode()
	f.newNode()
	f.nodes[i] = ifNode{thr: leftBound32(thr), feat: int32(b.cols[feat]), left: left}
	b.grow(left, start, pos, depth+1, nTotal)
	b.grow(left+1, pos, end, depth+1, nTotal)
}

// split is RandomSplitter.node_split with max_features = 1 and
// min_samples_leaf = 1: it returns the tree feature and threshold, the
// partition point (end when no feature can split) and the constant-feature
// count for the children, leaving samples[start:pos] <= thr.
func (b *skBuilder) split(start, end, nKnown int) (feat int, thr float64, pos, nTotal int) {
	features, x, d := b.features, b.x, b.d
	nFeat := len(features)
	fi := nFeat
	nFound, nDrawn, nVisited := 0, 0, 0
	nTotal = nKnown
	pos = end
	bestFeat, bestThr := -1, 0.0
	lastFeat := -1
	for fi > nTotal && (nVisited < 1 || nVisited <= nFound+nDrawn) {
		nVisited++
		fj := b.r.intn(nDrawn, fi-nFound)
		if fj < nKnown {
			features[nDrawn], features[fj] = features[fj], features[nDrawn]
			nDrawn++
			continue
		}
		fj += nFound
		cf := features[fj]
		c := b.cols[cf]
		mn := x[b.samples[start]*d+c]
		mx := mn
		for _, s := range b.samples[start+1 : end] {
			v := x[s*d+c]
			if v < mn {
				mn = v
			} else if v > mx {
				mx = v
			}
		}
		if mx <= mn+float32(featureThreshold) { // in float32, as scikit-learn's FEATURE_THRESHOLD is
			features[fj], features[nTotal] = features[nTotal], cf
			nFound++
			nTotal++
			continue
		}
		fi--
		features[fi], features[fj] = features[fj], features[fi]
		t := b.r.uniform(float64(mn), float64(mx))
		if t == float64(mx) {
			t = float64(mn)
		}
		p := b.partition(start, end, c, t)
		lastFeat = cf
		if p-start < 1 || end-p < 1 {
			continue
		}
		// One candidate is evaluated per node (max_features = 1), so the
		// first acceptable split is the best.
		if bestFeat < 0 {
			bestFeat, bestThr, pos = cf, t, p
		}
	}
	if bestFeat >= 0 && lastFeat != bestFeat {
		pos = b.partition(start, end, b.cols[bestFeat], bestThr)
	}
	// Keep the constant features in the order the children expect.
	copy(features[:nKnown], b.constant[:nKnown])
	copy(b.constant[nKnown:nKnown+nFound], features[nKnown:nKnown+nFound])
	return bestFeat, bestThr, pos, nTotal
}

// partition moves the samples of [start, end) with x[c] <= thr to the front,
// as scikit-learn does, and returns where the others begin.
func (b *skBuilder) partition(start, end, c int, thr float64) int {
	s, x, d := b.samples, b.x, b.d
	p, e := start, end
	for p < e {
		if float64(x[s[p]*d+c]) <= thr {
			p++
		} else {
			e--
			s[p], s[e] = s[e], s[p]
		}
	}
	return e
}

// leftBound32 returns the largest float64 v with float64(float32(v)) <= thr:
// scikit-learn compares float32 inputs with a float64 threshold, and with
// this bound a float64 input goes left exactly when its float32 rounding
// would.
func leftBound32(thr float64) float64 {
	t := float32(thr)
	if float64(t) > thr {
		t = math.Nextafter32(t, float32(math.Inf(-1)))
	}
	if t == math.MaxFloat32 {
		return math.MaxFloat64
	}
	up := math.Nextafter32(t, float32(math.Inf(1)))
	v := (float64(t) + float64(up)) / 2 // exact: the midpoint of two float32s
	if float32(v) > t {
		v = math.Nextafter(v, math.Inf(-1))
	}
	return v
}
