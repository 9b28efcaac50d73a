// Package cpu measures the CPU time this process has used, for benchmarks
// that run on a machine shared with other work: wall time also counts the
// time other processes held the cores, CPU time does not.
package cpu

import (
	"syscall"
	"time"
)

// Time is the CPU time (user + system) this process has used so far, or 0
// when the operating system does not report it.
func Time() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
