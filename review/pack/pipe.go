package pack

import (
	"crypto/sha256"
	"hash"
	"io"
	"sync"
)

// Export has more work than one core can do at the speed of a plain
// sha256sum: reading the workspace, hashing every payload byte for the
// manifest, hashing the whole zip for its fingerprint, and the write
// syscalls. The two pipelines below spread that work over goroutines, so
// that on two cores the next block is read while this one is hashed, and
// the previous one is written and hashed again meanwhile. Each uses a
// fixed set of reusable blocks: memory stays bounded whatever the size of
// the package, and no block is allocated per read or write.

// blockSize is the unit of both pipelines. It matches the workspace's
// attachment chunks (1 MiB), so one read from the store fills one block,
// and it makes each write syscall large enough that its fixed cost
// vanishes.
const blockSize = 1 << 20

// pipeBlocks is how many blocks each pipeline holds: enough to absorb a
// stage that is briefly slow (a page-cache flush, a scheduling hiccup)
// without stalling the others.
const pipeBlocks = 4

// readAhead reads src into blocks in its own goroutine. Blocks come out
// of full in order; the consumer returns each to free when done with it.
type readAhead struct {
	full chan []byte // closed after the last block or an error
	free chan []byte
	quit chan struct{}
	done chan struct{}
	err  error // the read error, if any; read it after full is closed
}

// startReadAhead starts reading src. free must hold (or later receive)
// blocks of capacity blockSize, and must have room for every block in
// circulation, so that returning one never blocks.
func startReadAhead(src io.Reader, free chan []byte) *readAhead {
	r := &readAhead{full: make(chan []byte, cap(free)), free: free, quit: make(chan struct{}), done: make(chan struct{})}
	go r.run(src)
	return r
}

func (r *readAhead) run(src io.Reader) {
	defer close(r.done)
	defer close(r.full)
	for {
		var b []byte
		select {
		case b = <-r.free:
		case <-r.quit:
			return
		}
		n, err := io.ReadFull(src, b[:cap(b)])
		if n > 0 {
			select {
			case r.full <- b[:n]:
			case <-r.quit:
				r.free <- b
				return
			}
		} else {
			r.free <- b
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return
		default:
			r.err = err
			return
		}
	}
}

// stop ends the reading early, if it has not ended, and waits for the
// goroutine, so that the caller may close src. Blocks not yet consumed go
// back to free. It is safe to call after full was drained.
func (r *readAhead) stop() {
	close(r.quit)
	<-r.done
	for b := range r.full {
		r.free <- b
	}
}

// blockWriter is a buffered writer whose flushes happen elsewhere: a full
// block goes to a goroutine that writes it to w, then to one that hashes
// it for the zip's fingerprint, and then back to the pool. Writing and
// hashing thus overlap each other and the caller's own work, and every
// byte is hashed exactly as it was handed to w, without a further copy.
type blockWriter struct {
	buf  []byte // the block being filled
	free chan []byte
	out  chan []byte // to the writing goroutine; closed by close
	n    int64       // bytes accepted
	h    hash.Hash
	done chan struct{} // closed when the hashing goroutine has finished

	mu  sync.Mutex
	err error // the first write error; later writes are refused

	closed bool
}

func newBlockWriter(w io.Writer) *blockWriter {
	bw := &blockWriter{
		free: make(chan []byte, pipeBlocks),
		out:  make(chan []byte, pipeBlocks),
		h:    sha256.New(),
		done: make(chan struct{}),
	}
	for range pipeBlocks - 1 {
		bw.free <- make([]byte, 0, blockSize)
	}
	bw.buf = make([]byte, 0, blockSize)
	hashq := make(chan []byte, pipeBlocks)
	go func() {
		defer close(hashq)
		for b := range bw.out {
			if bw.failed() == nil {
				if _, err := w.Write(b); err != nil {
					bw.fail(err)
				}
			}
			hashq <- b
		}
	}()
	go func() {
		defer close(bw.done)
		for b := range hashq {
			bw.h.Write(b)
			bw.free <- b[:0]
		}
	}()
	return bw
}

func (bw *blockWriter) failed() error {
	bw.mu.Lock()
	defer bw.mu.Unlock()
	return bw.err
}

func (bw *blockWriter) fail(err error) {
	bw.mu.Lock()
	defer bw.mu.Unlock()
	if bw.err == nil {
		bw.err = err
	}
}

// Write copies p into blocks, handing each on as it fills. A write error
// from w shows up on a later Write or on close.
func (bw *blockWriter) Write(p []byte) (int, error) {
	if err := bw.failed(); err != nil {
		return 0, err
	}
	n := len(p)
	for len(p) > 0 {
		m := copy(bw.buf[len(bw.buf):cap(bw.buf)], p)
		bw.buf = bw.buf[:len(bw.buf)+m]
		p = p[m:]
		if len(bw.buf) == cap(bw.buf) {
			bw.out <- bw.buf
			bw.buf = <-bw.free
		}
	}
	bw.n += int64(n)
	return n, nil
}

// close hands on the last, partial block, waits until everything is
// written and hashed, and returns the zip's SHA-256 and the first write
// error. It is safe to call more than once; only the first call's sum is
// meaningful.
func (bw *blockWriter) close() ([]byte, error) {
	if !bw.closed {
		bw.closed = true
		if len(bw.buf) > 0 {
			bw.out <- bw.buf
			bw.buf = nil
		}
		close(bw.out)
	}
	<-bw.done
	if err := bw.failed(); err != nil {
		return nil, err
	}
	return bw.h.Sum(nil), nil
}
