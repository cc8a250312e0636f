package detect

import (
	"fmt"
	"math"
	"slices"
)

// rankOrder returns row indexes sorted by descending score (ties by index).
func rankOrder(scores []float64) []int {
	ord := make([]int, len(scores))
	for i := range ord {
		ord[i] = i
	}
	slices.SortStableFunc(ord, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	return ord
}

func checkLabels(name string, scores []float64, labels []bool) {
	if len(scores) != len(labels) {
		panic(fmt.Sprintf("detect: %s got %d scores and %d labels", name, len(scores), len(labels)))
	}
}

// ROCAUC returns the area under the ROC curve of scores (larger = more
// likely positive) against labels (true = anomaly), counting tied scores as
// half, which equals scikit-learn's roc_auc_score. It returns NaN when
// labels hold only one class, and panics if the lengths differ.
func ROCAUC(scores []float64, labels []bool) float64 {
	checkLabels("ROCAUC", scores, labels)
	ord := rankOrder(scores)
	var pos, neg float64
	for _, l := range labels {
		if l {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	// Walk groups of tied scores from the top; each negative in a group
	// ranks below the positives seen before it and ties half with the
	// positives of its group.
	var area, seenPos float64
	for i := 0; i < len(ord); {
		j := i
		var gp, gn float64
		for j < len(ord) && scores[ord[j]] == scores[ord[i]] {
			if labels[ord[j]] {
				gp++
			} else {
				gn++
			}
			j++
		}
		area += gn * (seenPos + gp/2)
		seenPos += gp
		i = j
	}
	return area / (pos * neg)
}

// PRAUC returns the average precision of scores against labels, as
// scikit-learn's average_precision_score: Σ (Rₙ - Rₙ₋₁) Pₙ over the
// distinct score thresholds from the top. It returns NaN when there is no
// positive, and panics if the lengths differ.
func PRAUC(scores []float64, labels []bool) float64 {
	checkLabels("PRAUC", scores, labels)
	ord := rankOrder(scores)
	var pos float64
	for _, l := range labels {
		if l {
			pos++
		}
	}
	if pos == 0 {
		return math.NaN()
	}
	var ap, tp, fp, prevRecall float64
	for i := 0; i < len(ord); {
		j := i
		for j < len(ord) && scores[ord[j]] == scores[ord[i]] {
			if labels[ord[j]] {
				tp++
			} else {
				fp++
			}
			j++
		}
		recall := tp / pos
		ap += (recall - prevRecall) * tp / (tp + fp)
		prevRecall = recall
		i = j
	}
	return ap
}

// PrecisionRecallF1 compares predicted flags with labels (true = anomaly).
// A ratio with a zero denominator is 0. It panics if the lengths differ.
func PrecisionRecallF1(pred, labels []bool) (precision, recall, f1 float64) {
	if len(pred) != len(labels) {
		panic(fmt.Sprintf("detect: PrecisionRecallF1 got %d predictions and %d labels", len(pred), len(labels)))
	}
	var tp, fp, fn float64
	for i, p := range pred {
		switch {
		case p && labels[i]:
			tp++
		case p:
			fp++
		case labels[i]:
			fn++
		}
	}
	if tp+fp > 0 {
		precision = tp / (tp + fp)
	}
	if tp+fn > 0 {
		recall = tp / (tp + fn)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}
