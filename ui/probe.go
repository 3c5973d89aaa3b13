package ui

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// uiProbe measures how long work waits for the UI goroutine: every 20 ms
// it queues a no-op with fyne.Do and records how late it ran. The UI
// goroutine also handles key presses and draws the frames, so a wait is
// what a key press meets before it takes effect. Used by `proclab bench`
// and by anyone measuring the window (--stats).
type uiProbe struct {
	mu      sync.Mutex
	start   time.Time
	max     time.Duration
	maxAt   time.Duration // since the probe began, when the longest wait began
	samples int
	slow    int // waits of 100 ms or more
	// settledAt is when the window settled: the preload has started (or
	// there was none) and settleAfter has passed. Start-up is reported on
	// its own: what a key press meets afterwards is the settled figures.
	settledAt time.Duration
	settled   []time.Duration // every wait since then
	// recent is when each of the last maxSlowListed waits of 100 ms or more
	// began and how long it was, to tell a start-up stall from a recurring one.
	recent [][2]float64
}

const (
	// settleAfter is the least time before the probe counts settled waits.
	settleAfter   = 10 * time.Second
	maxSlowListed = 50
	maxSettled    = 1 << 16 // about 20 minutes of samples
)

func startUIProbe(ctx context.Context) *uiProbe {
	p := &uiProbe{start: time.Now(), settledAt: -1}
	go func() {
		// The first seconds are start-up: fonts load, the window maps.
		select {
		case <-time.After(3 * time.Second):
		case <-ctx.Done():
			return
		}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			queued := time.Now()
			done := make(chan struct{})
			fyne.Do(func() {
				p.record(queued)
				close(done)
			})
			select {
			case <-done:
			case <-ctx.Done():
				return
			}
		}
	}()
	return p
}

// settle says the window's start-up work (the preload) is done.
func (p *uiProbe) settle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.settledAt = max(time.Since(p.start), settleAfter)
}

func (p *uiProbe) record(queued time.Time) {
	d := time.Since(queued)
	at := queued.Sub(p.start)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.samples++
	if d >= 100*time.Millisecond {
		p.slow++
		p.recent = append(p.recent, [2]float64{at.Seconds(), float64(d.Microseconds()) / 1000})
		if len(p.recent) > maxSlowListed {
			p.recent = p.recent[1:]
		}
	}
	if d > p.max {
		p.max, p.maxAt = d, at
	}
	if p.settledAt >= 0 && at >= p.settledAt && len(p.settled) < maxSettled {
		p.settled = append(p.settled, d)
	}
}

func (p *uiProbe) write(w io.Writer, logPath string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	out := map[string]any{
		"max_ui_wait_ms":    ms(p.max),
		"max_ui_wait_at_s":  p.maxAt.Seconds(),
		"slow_waits":        p.slow,
		"samples":           p.samples,
		"recent_slow_waits": p.recent,
		"log":               logPath,
	}
	if n := len(p.settled); n > 0 {
		sorted := slices.Clone(p.settled)
		slices.Sort(sorted)
		out["settled_at_s"] = p.settledAt.Seconds()
		out["settled_samples"] = n
		out["settled_median_ui_wait_ms"] = ms(sorted[n/2])
		out["settled_p99_ui_wait_ms"] = ms(sorted[n*99/100])
		out["settled_max_ui_wait_ms"] = ms(sorted[n-1])
	}
	_ = json.NewEncoder(w).Encode(out)
}
