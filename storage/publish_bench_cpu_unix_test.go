//go:build unix

package storage

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time. The export
// benchmarks report it per operation beside wall time because the build
// machine is shared: wall time there measures the neighbours as much as
// the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
