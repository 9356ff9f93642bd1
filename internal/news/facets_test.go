package news_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

func TestNewFacets(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, news.CST)
	f := news.NewFacets(
		map[string]int{"国内": 3, "国际": 3, "经济": 5, "": 9, "零": 0},
		map[string]int{"甘肃省": 2},
		map[string]int{},
		map[string]int{"2025-03-09": 2, "2025-02-20": 1, "2024-12-31": 4, "2023-01-01": 1, "bad": 7},
		now,
	)
	want := &news.Facets{
		Section:  []news.FacetCount{{Value: "经济", Count: 5}, {Value: "国内", Count: 3}, {Value: "国际", Count: 3}},
		Province: []news.FacetCount{{Value: "甘肃省", Count: 2}},
		City:     []news.FacetCount{},
		Year:     []news.FacetCount{{Value: "2025", Count: 3}, {Value: "2024", Count: 4}, {Value: "2023", Count: 1}},
		Month:    []news.FacetCount{{Value: "2025-03", Count: 2}, {Value: "2025-02", Count: 1}, {Value: "2024-12", Count: 4}, {Value: "2023-01", Count: 1}},
		Range:    []news.FacetCount{{Value: "近一周", Count: 2}, {Value: "近一月", Count: 3}, {Value: "近一年", Count: 7}, {Value: "一年以前", Count: 1}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("NewFacets = %+v\nwant %+v", f, want)
	}
	f.Cap(1)
	if len(f.Section) != 1 || len(f.Month) != 1 || len(f.Range) != 4 {
		t.Errorf("Cap(1): %+v", f)
	}
}
