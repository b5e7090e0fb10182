package adversarial

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// SeedsEnv is the environment variable that, when set and not empty,
// overrides the Seeds parameter of the notebooks that train networks (see
// SelectSeeds and parseSeeds): POINTWISE_SEEDS=3 trains every variant with
// the seeds 1, 2 and 3.
const SeedsEnv = "POINTWISE_SEEDS"

// MaxSeeds bounds the number of seeds, so that a typo cannot start a run of
// weeks.
const MaxSeeds = 100

// parseSeeds returns the seeds a POINTWISE_SEEDS value selects: "" means
// {1}; a count n, 1 to MaxSeeds, means 1, 2, …, n; a comma-separated list
// such as "1,4,7" means those seeds (distinct, in the order given). Seed 1
// comes first in every count, so a 3-seed run extends a one-seed run: the
// cached seed-1 models and results are reused.
func parseSeeds(s string) ([]uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []uint64{1}, nil
	}
	if !strings.Contains(s, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxSeeds {
			return nil, fmt.Errorf("adversarial: %s = %q out of range: need a count 1 to %d or a comma-separated list of seeds", SeedsEnv, s, MaxSeeds)
		}
		seeds := make([]uint64, n)
		for i := range seeds {
			seeds[i] = uint64(i + 1)
		}
		return seeds, nil
	}
	var seeds []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil || v > math.MaxInt64 {
			return nil, fmt.Errorf("adversarial: %s = %q: seed %q is not a non-negative integer", SeedsEnv, s, f)
		}
		if slices.Contains(seeds, v) {
			return nil, fmt.Errorf("adversarial: %s = %q: seed %d given twice", SeedsEnv, s, v)
		}
		seeds = append(seeds, v)
	}
	if len(seeds) > MaxSeeds {
		return nil, fmt.Errorf("adversarial: %s = %q: %d seeds out of range: need at most %d", SeedsEnv, s, len(seeds), MaxSeeds)
	}
	return seeds, nil
}

// SelectSeeds returns the seeds a notebook's Seeds parameter selects
// (parseSeeds), or those of the environment variable SeedsEnv when it is set
// and not empty.
func SelectSeeds(param string) ([]uint64, error) {
	if v := os.Getenv(SeedsEnv); v != "" {
		return parseSeeds(v)
	}
	return parseSeeds(param)
}
