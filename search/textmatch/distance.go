package textmatch

// within reports whether the optimal string alignment distance (edits:
// insert, delete, replace a letter, or swap two neighbours) between q and
// w is at most k, or with prefix between q and some prefix of w: what
// Meilisearch's Levenshtein automata accept. q and w are letters.
func within(q, w []rune, k int, prefix bool) bool {
	n, m := len(q), len(w)
	if !prefix && (m-n > k || n-m > k) || prefix && n-m > k {
		return false
	}
	if prefix && m > n+k {
		m = n + k // a longer prefix is more than k edits from q
		w = w[:m]
	}
	// Rows of the distance of q[:i] to w[:j]; two rows back for swaps.
	var buf [3][64]int
	var prev2, prev, cur []int
	if m+1 <= len(buf[0]) {
		prev2, prev, cur = buf[0][:m+1], buf[1][:m+1], buf[2][:m+1]
	} else {
		prev2, prev, cur = make([]int, m+1), make([]int, m+1), make([]int, m+1)
	}
	for j := range prev {
		prev[j] = j
	}
	best := prev[m]
	if prefix {
		best = minRow(prev)
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if q[i-1] == w[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && q[i-1] == w[j-2] && q[i-2] == w[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
		if prefix {
			best = minRow(prev)
		} else {
			best = prev[m]
		}
	}
	return best <= k
}

func minRow(r []int) int {
	m := r[0]
	for _, v := range r[1:] {
		m = min(m, v)
	}
	return m
}
