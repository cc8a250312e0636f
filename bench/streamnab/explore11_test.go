package streamnab

import (
	"os"
	"testing"
)

func TestExplore11(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	scores := map[string][]float64{}
	for _, f := range all {
		cs := candidates(f)
		a := rarity(cs[8], 0.9995, 0.25, 150)
		b := rarity(cs[4], 0.9995, 0.25, 150)
		for i := range a {
			a[i] += b[i]
		}
		scores[f.Name] = direct(a, 150, 18.5, 0.5, 60)
		if os.Getenv("PLOT") != "" {
			s, _ := c.Find(f.Name)
			plotSeries(plotName("/tmp/nabx/plots2", f.Name), s, scores[f.Name], 0.5)
		}
	}
	diag(t, c, scores)
}
