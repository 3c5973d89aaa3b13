package common

// IsDirty tells whether the canvas waits to be drawn, without clearing it.
func (c *Canvas) IsDirty() bool {
	return c.dirty
}
