package dataset

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestChunkRoundTrip(t *testing.T) {
	rows := [][]string{
		{"1", "", "grocery"},
		{"2.5", "x", strings.Repeat("é", 100)},
		{},
		{"", "", "", "late column"},
	}
	data := EncodeChunk(rows)
	got, err := DecodeChunk(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(got), normalize(rows)) {
		t.Errorf("DecodeChunk(EncodeChunk(rows)) = %q, want %q", got, rows)
	}
	// Deterministic and compact: version, row count, then per row the cell
	// count and length-prefixed cells.
	small := EncodeChunk([][]string{{"ab", ""}, {"c"}})
	if want := []byte{1, 2, 2, 2, 'a', 'b', 0, 1, 1, 'c'}; !reflect.DeepEqual(small, want) {
		t.Errorf("EncodeChunk = %v, want %v", small, want)
	}
	if got := AppendChunk([]byte("prefix"), [][]string{{"c"}}); string(got) != "prefix\x01\x01\x01\x01c" {
		t.Errorf("AppendChunk = %q", got)
	}
	// Cells do not alias data.
	data[len(data)-1] = 'X'
	if got[3][3] != "late column" {
		t.Errorf("decoded cell changed with data: %q", got[3][3])
	}
}

func TestDecodeChunkErrors(t *testing.T) {
	for _, data := range [][]byte{
		nil,
		{2, 0},            // unknown version
		{1},               // no row count
		{1, 1},            // row missing
		{1, 1, 1, 5, 'a'}, // cell truncated
		{1, 1, 0, 0},      // trailing byte
		{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, // absurd row count
	} {
		if _, err := DecodeChunk(data); !errors.Is(err, ErrChunk) {
			t.Errorf("DecodeChunk(%v) = %v, want ErrChunk", data, err)
		}
	}
}
