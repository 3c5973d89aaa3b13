package main

import (
	"encoding/binary"
	"math/bits"
	"slices"

	"proclab/procs"
)

// format appends the batch's `[name pid] text` lines to text, made in one
// buffer: a flood's lines are short, and a write or an append each cost
// more than the copying.
func (b *sinkBatch) format(text []byte) []byte {
	if b.joined != "" {
		return formatJoined(text, b.prefix, b.joined, b.lines)
	}
	size := len(b.texts) * (len(b.prefix) + 1)
	for _, line := range b.texts {
		size += len(line)
	}
	text = slices.Grow(text, size)
	at := len(text)
	text = text[:at+size]
	for _, line := range b.texts {
		at += copy(text[at:], b.prefix)
		at += copy(text[at:], line)
		text[at] = '\n'
		at++
	}
	return text
}

// formatJoined appends joined's lines (lines of them, each with its
// newline but perhaps the last), each after prefix, to text. It moves
// eight bytes at a time: a word of the read is stored whole and the next
// store starts where its first newline was, and the prefix is stored as
// words too, so a line of seq costs a few stores instead of two calls of
// memmove (found by hand: appending each piece was most of benchmark 8's
// printer). The prefix's four stores run up to 32 bytes past the end,
// into slack that is cut off before returning.
func formatJoined(text []byte, prefix, joined string, lines int) []byte {
	var words [4]uint64 // the prefix, zero-padded to words
	if len(prefix) > len(words)*8 {
		return formatJoinedByCopy(text, prefix, joined, lines)
	}
	var pad [len(words) * 8]byte
	copy(pad[:], prefix)
	for k := range words {
		words[k] = binary.LittleEndian.Uint64(pad[k*8:])
	}
	const slack = len(words) * 8
	size := len(joined) + lines*len(prefix) + 1 // + the last line's newline, if missing
	start := len(text)
	text = slices.Grow(text, size+slack)
	out := text[start : start+size+slack]
	at := 0
	putPrefix := func() {
		p := out[at : at+slack]
		binary.LittleEndian.PutUint64(p[0:], words[0])
		binary.LittleEndian.PutUint64(p[8:], words[1])
		binary.LittleEndian.PutUint64(p[16:], words[2])
		binary.LittleEndian.PutUint64(p[24:], words[3])
		at += len(prefix)
	}
	putPrefix()
	i := 0
	for i+8 <= len(joined) {
		// The compiler makes this one load, as binary.LittleEndian.Uint64
		// of a []byte: NewlineBytes wants the first byte lowest.
		w := uint64(joined[i]) | uint64(joined[i+1])<<8 | uint64(joined[i+2])<<16 | uint64(joined[i+3])<<24 |
			uint64(joined[i+4])<<32 | uint64(joined[i+5])<<40 | uint64(joined[i+6])<<48 | uint64(joined[i+7])<<56
		binary.LittleEndian.PutUint64(out[at:], w)
		nl := procs.NewlineBytes(w)
		if nl == 0 {
			at, i = at+8, i+8
			continue
		}
		n := bits.TrailingZeros64(nl)/8 + 1 // up to and with the newline
		at, i = at+n, i+n
		if i < len(joined) {
			putPrefix()
		}
	}
	for ; i < len(joined); i++ {
		out[at] = joined[i]
		at++
		if joined[i] == '\n' && i+1 < len(joined) {
			putPrefix()
		}
	}
	if out[at-1] != '\n' {
		out[at] = '\n' // the last line had none
		at++
	}
	return text[:start+at]
}

// formatJoinedByCopy is formatJoined for a prefix too long to keep in
// words: a line and its newline are copied in one piece.
func formatJoinedByCopy(text []byte, prefix, joined string, lines int) []byte {
	text = slices.Grow(text, len(joined)+lines*len(prefix)+1)
	for start := 0; start < len(joined); {
		stop := start
		for stop < len(joined) && joined[stop] != '\n' {
			stop++
		}
		stop = min(stop+1, len(joined)) // with its newline
		text = append(append(text, prefix...), joined[start:stop]...)
		start = stop
	}
	if text[len(text)-1] != '\n' {
		text = append(text, '\n') // the last line had none
	}
	return text
}
