package models

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

func TestDecodeCitationsGivesEachCallerItsOwnCopy(t *testing.T) {
	want := []Citation{{Level: "法律", Title: "中华人民共和国社会保险法", Edition: "2018年修正", Articles: "第八十七条 …"}}
	text, _ := json.Marshal(want)
	for range 2 { // a miss, then a hit
		got, err := decodeCitations(string(text))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("decode = %+v, %v", got, err)
		}
		got[0].Title = "改写" // must not reach the cache
	}
	if empty, err := decodeCitations("[]"); err != nil || empty == nil || len(empty) != 0 {
		t.Fatalf(`"[]" = %#v, %v; want an empty, non-nil list as json.Unmarshal gives`, empty, err)
	}
	if _, err := decodeCitations(`[{"level":`); err == nil {
		t.Fatal("broken JSON decoded")
	}
	for i := range citationCacheSize + 10 {
		decodeCitations(fmt.Sprintf(`[{"title":"%d"}]`, i))
	}
	citationCache.Lock()
	n := len(citationCache.m)
	citationCache.Unlock()
	if n > citationCacheSize {
		t.Fatalf("cache holds %d entries, bound %d", n, citationCacheSize)
	}
}
