package dataset_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/topoforge/topoforge/dataset"
)

func ExampleIngestCSV() {
	const upload = "amount,merchant,at,is_fraud\n" +
		"12.5,grocery,2024-01-01,0\n" +
		"80,fuel,2024-01-02 10:00:00,no\n" +
		",\"jewelry, fine\",2024-01-03T09:30:00Z,yes\n"
	chunks := map[int][]byte{} // stands for the key-value store
	schema, err := dataset.IngestCSV(strings.NewReader(upload), dataset.Options{LabelColumn: "is_fraud"},
		func(c dataset.Chunk) error {
			chunks[c.Index] = c.Data
			return nil
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(schema.Summary())
	fmt.Println(string(b))

	load := func(i int) ([]byte, error) { return chunks[i], nil }
	table, labels, _ := schema.Table(load, nil)
	fmt.Println(table.Columns, table.Rows[2], labels)
	sample, _ := schema.Sample(load, 1)
	fmt.Println(string(sample[0]))
	// Output:
	// {"sample_count":3,"feature_count":3,"features":[{"name":"amount","type":"float","min":12.5,"max":80,"missing":1},{"name":"merchant","type":"string","unique_values":3,"missing":0},{"name":"at","type":"timestamp","min":"2024-01-01T00:00:00Z","max":"2024-01-03T09:30:00Z","missing":0}],"statistics":{"numerical_features":2,"categorical_features":1,"empty_features":0,"missing_values":1},"label":{"name":"is_fraud","column":3,"anomalies":1}}
	// [amount merchant at] [<nil> jewelry, fine 1.7042742e+09] [false false true]
	// {"amount":12.5,"merchant":"grocery","at":"2024-01-01","is_fraud":false}
}

func ExampleIngestJSON() {
	const data = `[{"amount": 100.0, "merchant": "grocery"}, {"amount": 5000.0, "merchant": "jewelry", "vip": true}]`
	schema, err := dataset.IngestJSON(strings.NewReader(data), dataset.Options{}, func(dataset.Chunk) error { return nil })
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range schema.Features() {
		fmt.Println(f.Name, f.Type, f.Missing)
	}

	_, err = dataset.IngestJSON(strings.NewReader(`[{"a": 1}, {"a": {"b": 2}}]`), dataset.Options{}, func(dataset.Chunk) error { return nil })
	var pe *dataset.ParseError
	fmt.Println(errors.As(err, &pe), pe.Row, pe.Column, err)
	// Output:
	// amount float 0
	// merchant string 0
	// vip bool 1
	// true 1 a row 1: key "a": bad JSON rows: nested object
}

func ExampleSplit() {
	train, valid := dataset.Split(10, 0.2, 1)
	fmt.Println(train, valid)
	// Output:
	// [0 1 2 3 4 6 8 9] [5 7]
}
