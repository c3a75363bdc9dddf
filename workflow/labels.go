package workflow

import "maps"

// Labels are the Chinese names of the operations, states, events, reviews
// and tracks, for
// the UI to show as the server names them (GET /api/v1/meta).
func Labels() map[string]map[string]string {
	return map[string]map[string]string{
		"operations": maps.Clone(opLabels),
		"states":     maps.Clone(stateLabels),
		"events":     maps.Clone(eventLabels),
		"reviews":    maps.Clone(reviewLabels),
		"tracks":     maps.Clone(trackLabels),
	}
}
