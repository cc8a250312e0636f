package detect

func copodDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "COPOD",
			Category: "statistical",
			Description: "Copula-based outlier detection (Li et al. 2020), as PyOD's COPOD: empirical copula tail " +
				"probabilities per feature; the score sums, over features, the larger of the skewness-chosen tail " +
				"and the mean of both tails' -log. Parameter-free.",
			Parameters:  withCommon(map[string]ParamSpec{}),
			Complexity:  "O(n·d·log n) fit, O(d·log n) per row",
			Scalability: "excellent",
		},
		newModel: func(p params) model { return &tails{copula: true} },
	}
}
