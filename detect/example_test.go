package detect_test

import (
	"fmt"

	"github.com/topoforge/topoforge/detect"
)

func Example() {
	train := detect.Table{Columns: []string{"amount", "merchant"}}
	for i := 0; i < 500; i++ {
		train.Rows = append(train.Rows, []any{float64(20 + i%40), []string{"grocery", "fuel", "pharmacy"}[i%3]})
	}
	d, err := detect.New("HBOS", map[string]any{"contamination": 0.05})
	if err != nil {
		panic(err)
	}
	if err := d.Fit(train); err != nil {
		panic(err)
	}
	probe := detect.Table{
		Columns: []string{"merchant", "amount"}, // any order
		Rows:    [][]any{{"grocery", 35.0}, {"jewelry", 10000.0}},
	}
	res, err := d.Score(probe)
	if err != nil {
		panic(err)
	}
	for _, r := range res {
		fmt.Printf("anomaly=%v anomaly_score=%.2f\n%s\n", r.IsAnomaly, r.AnomalyScore, r.Explanation)
	}
	b, _ := d.MarshalBinary() // persist; Load gives bit-identical scores
	l, _ := detect.Load(b)
	again, _ := l.Score(probe)
	fmt.Println(again[1].Score == res[1].Score)
	// Output:
	// anomaly=false anomaly_score=0.17
	// Normal: score within the threshold (anomaly_score 0.173)
	// anomaly=true anomaly_score=1.00
	// Anomalous: score above the threshold (anomaly_score 1.000): amount is unusually high (10000): above all training rows (maximum 59); merchant = "jewelry" was never seen in training
	// true
}

func ExampleNew_paramError() {
	_, err := detect.New("IsolationForest", map[string]any{"contamination": 0.9})
	fmt.Println(err)
	// Output:
	// invalid parameter contamination: Value must be between 0 and 0.5
}

func ExampleCombine() {
	c, _ := detect.Combine(detect.CombineAverage,
		[][]float64{{0.9, 0.2}, {0.7, 0.1}},
		[][]bool{{true, false}, {true, false}}, nil)
	fmt.Println(c.Scores, c.IsAnomaly, c.Votes)
	// Output:
	// [0.8 0.15000000000000002] [true false] [2 0]
}
