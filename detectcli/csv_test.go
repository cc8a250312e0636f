package detectcli

import (
	"math"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	tab, err := ReadCSV(strings.NewReader("\xef\xbb\xbfamount, city ,note\n1.5,\"New York, NY\",\n ,Paris,\"say \"\"hi\"\"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Columns, "|") != "amount|city|note" {
		t.Errorf("Columns = %q", tab.Columns)
	}
	want := [][]any{{1.5, "New York, NY", nil}, {nil, "Paris", `say "hi"`}}
	for i, r := range want {
		for j, v := range r {
			if tab.Rows[i][j] != v {
				t.Errorf("Rows[%d][%d] = %#v, want %#v", i, j, tab.Rows[i][j], v)
			}
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"\xef\xbb\xbfa,b,label\n1.5,x,0\n,\"q,\"\"r\",1\n",
		"a\n\n1\n",
		"a,b\n1\n",
		"a,a\n1,2\n",
		"x\nNaN\n",
		"x,y\n1e308,-1e-308\n\"\n",
		"x\r\n1\r\n2\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ReadCSV(strings.NewReader(s))
		if err != nil {
			return
		}
		if len(tab.Rows) == 0 || len(tab.Columns) == 0 {
			t.Fatalf("ok with %d rows, %d columns", len(tab.Rows), len(tab.Columns))
		}
		for i, r := range tab.Rows {
			if len(r) != len(tab.Columns) {
				t.Fatalf("row %d has %d cells for %d columns", i, len(r), len(tab.Columns))
			}
			for _, c := range r {
				switch v := c.(type) {
				case nil, string:
				case float64:
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("non-finite cell %v", v)
					}
				default:
					t.Fatalf("cell type %T", c)
				}
			}
		}
	})
}
