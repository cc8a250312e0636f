package stream_test

import (
	"fmt"
	"math"

	"github.com/topoforge/topoforge/stream"
)

// A stream of a sine whose level jumps at event 2000: the analyzer buffers, warms up,
// stays quiet on the sine and flags the jump once, as it happens.
func Example() {
	a, err := stream.NewAnalyzer(stream.DefaultConfig())
	if err != nil {
		panic(err)
	}
	msg := make([]byte, 0, 2048)
	for i := range 2500 {
		v := 10 * math.Sin(2*math.Pi*float64(i)/60)
		if i >= 2000 {
			v += 15
		}
		res, ok, err := a.Push([]float64{v})
		switch {
		case err != nil:
			panic(err)
		case !ok:
			if count, needed := a.Buffered(); count == 1 {
				fmt.Printf("buffering: %d of %d\n", count, needed)
			}
		case res.IsAnomaly:
			msg = res.AppendJSON(msg[:0])
			fmt.Printf("anomaly at event %d: total %.0f, betti %+v\n", i, res.Scores.Total, res.Betti)
			fmt.Printf("%.40s...\n", msg)
		}
	}
	// Output:
	// buffering: 1 of 52
	// anomaly at event 2000: total 100, betti {H0:2 H1:0 H2:0}
	// {"is_anomaly":true,"anomaly_score":100,"...
}
