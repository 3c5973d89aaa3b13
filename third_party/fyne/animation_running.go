package animation

// Running tells whether an animation is started and not yet finished, so
// that the driver knows it must keep drawing frames.
func (r *Runner) Running() bool {
	r.animationMutex.RLock()
	defer r.animationMutex.RUnlock()
	return r.runnerStarted
}
