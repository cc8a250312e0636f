//go:build !linux

package benchtda

import "time"

// threadCPU is not available here: the CPU-time metrics are not reported.
func threadCPU() time.Duration { return 0 }
