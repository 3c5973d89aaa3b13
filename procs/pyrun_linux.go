package procs

func readObservedStat(pid int) (uint64, error) {
	st, err := ReadStat(pid)
	return st.StartTime, err
}

// observedGone reports whether the process pid that started at start has
// ended: gone, a zombie, or its pid now someone else's.
func observedGone(pid int, start uint64) bool {
	st, err := ReadStat(pid)
	return err != nil || st.State == 'Z' || (start != 0 && st.StartTime != start)
}
