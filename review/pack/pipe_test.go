package pack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"qianfa/review"
)

// source is a streamed payload file that records misuse: a Read after
// Close would mean the read-ahead goroutine outlived the entry.
type source struct {
	r        io.Reader
	closed   atomic.Bool
	lateRead atomic.Bool
}

func (s *source) Read(p []byte) (int, error) {
	if s.closed.Load() {
		s.lateRead.Store(true)
	}
	return s.r.Read(p)
}

func (s *source) Close() error { s.closed.Store(true); return nil }

// bigBag adds three files larger than the pipelines hold, of sizes that
// are not multiples of a block, so blocks straddle entries.
func bigBag(t testing.TB, open func(data []byte) io.ReadCloser) *Bag {
	b := sampleBag(t)
	for i, n := range []int{pipeBlocks*blockSize + 12345, 3*blockSize - 1, blockSize + 1} {
		data := randBytes(uint64(50+i), n)
		if i == 1 {
			for j := range data {
				data[j] = 'a' + data[j]&15 // deflated, not stored
			}
		}
		f := File{Path: "attachments/big" + string(rune('a'+i)) + ".bin", Compressed: i != 1}
		if open == nil {
			f.Data = data
		} else {
			f.Size = int64(len(data))
			f.Open = func() (io.ReadCloser, error) { return open(data), nil }
		}
		b.Files = append(b.Files, f)
	}
	return b
}

func TestWrite_PipelineKeepsOrderAndFingerprint(t *testing.T) {
	a, ra := build(t, bigBag(t, nil))
	var srcs []*source
	c, rc := build(t, bigBag(t, func(data []byte) io.ReadCloser {
		s := &source{r: bytes.NewReader(data)}
		srcs = append(srcs, s)
		return s
	}))
	sum := sha256.Sum256(c)
	if !bytes.Equal(a, c) || rc.SHA256 != ra.SHA256 || rc.SHA256 != hex.EncodeToString(sum[:]) || rc.Size != int64(len(c)) {
		t.Fatal("streamed and in-memory payloads give different packages, or the fingerprint is not the zip's")
	}
	if rep := verify(c, Options{SHA256: rc.SHA256}); !rep.OK {
		t.Fatalf("package does not verify: %s", failures(rep))
	}
	for _, s := range srcs {
		if !s.closed.Load() || s.lateRead.Load() {
			t.Errorf("source closed=%v, read after close=%v", s.closed.Load(), s.lateRead.Load())
		}
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWrite_PipelineFailuresStopCleanly(t *testing.T) {
	streamed := func(srcs *[]*source, r func(data []byte) io.Reader) *Bag {
		return bigBag(t, func(data []byte) io.ReadCloser {
			s := &source{r: r(data)}
			*srcs = append(*srcs, s)
			return s
		})
	}
	plain := func(data []byte) io.Reader { return bytes.NewReader(data) }
	tests := []struct {
		name  string
		bag   func(srcs *[]*source) *Bag
		w     io.Writer
		ctx   func(b *Bag) context.Context
		check func(err error) bool
	}{
		{"write error", func(s *[]*source) *Bag { return streamed(s, plain) }, &failAfter{n: 3 << 20}, nil,
			func(err error) bool { return errors.Is(err, errDiskFull) }},
		{"read error", func(s *[]*source) *Bag {
			return streamed(s, func(data []byte) io.Reader {
				return io.MultiReader(bytes.NewReader(data[:len(data)/2]), iotestErr{})
			})
		}, io.Discard, nil, func(err error) bool {
			return review.ErrorCode(err) == review.EINTERNAL && strings.Contains(review.ErrorMessage(err), "big")
		}},
		{"source shrank", func(s *[]*source) *Bag {
			return streamed(s, func(data []byte) io.Reader { return bytes.NewReader(data[:len(data)-1]) })
		}, io.Discard, nil, func(err error) bool { return review.ErrorCode(err) == review.EINVALID }},
		{"cancelled mid-file", func(s *[]*source) *Bag { return streamed(s, plain) }, io.Discard,
			func(b *Bag) context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				b.Progress = func(done, total int64) {
					if done > 2<<20 {
						cancel()
					}
				}
				return ctx
			}, func(err error) bool { return review.ErrorCode(err) == review.ECONFLICT }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srcs []*source
			b := tt.bag(&srcs)
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx(b)
			}
			_, err := Write(ctx, tt.w, b)
			if err == nil || !tt.check(err) {
				t.Fatalf("Write = %v", err)
			}
			for _, s := range srcs {
				if !s.closed.Load() || s.lateRead.Load() {
					t.Errorf("source closed=%v, read after close=%v", s.closed.Load(), s.lateRead.Load())
				}
			}
		})
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("disk read error") }
