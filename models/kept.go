package models

// A list's current items change only when it publishes a version, so what is
// read or counted of them can be kept with the version it was read at and
// read again only for the lists that published since. KeptPerVersion is that
// one rule, for the search's counts and the statistics' reads alike.

// KeptPerVersion returns the rows of each of the lists: kept ones from get
// (by list and version), the others read by read and handed to keep. read
// gets the ids of the lists missing, or nil — every list — when they are
// more than half of all (one pass over an index reads it once); every list of
// all that the pass covered is then kept. A list that published between
// reading its version and reading its rows is kept under the version read,
// which no later reader asks for again.
func KeptPerVersion[T any](lists, all []ListPlace, get func(list int64, version int) ([]T, bool), keep func(list int64, version int, rows []T),
	read func(ids []int64) ([]T, error), listOf func(T) int64) ([][]T, error) {
	out := make([][]T, len(lists))
	var missing []int64
	for i, l := range lists {
		if rows, ok := get(l.ListID, l.Version); ok {
			out[i] = rows
		} else {
			missing = append(missing, l.ListID)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	ask := missing
	if 2*len(missing) > len(all) {
		ask = nil
	}
	rows, err := read(ask)
	if err != nil {
		return nil, err
	}
	byList := map[int64][]T{}
	for _, r := range rows {
		byList[listOf(r)] = append(byList[listOf(r)], r)
	}
	rowsOf := func(l ListPlace) []T {
		if r, ok := byList[l.ListID]; ok {
			return r
		}
		return []T{} // nothing is an answer too
	}
	if ask == nil {
		for _, l := range all {
			keep(l.ListID, l.Version, rowsOf(l))
		}
	}
	for i, l := range lists {
		if out[i] == nil {
			out[i] = rowsOf(l)
			if ask != nil {
				keep(l.ListID, l.Version, out[i])
			}
		}
	}
	return out, nil
}
