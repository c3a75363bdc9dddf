package gen

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/models"
)

// Stats counts what Write stored.
type Stats struct {
	Counties  int
	Agencies  int
	Lists     int
	Versions  int
	Items     int // item identities, removed ones included
	Live      int // items in the lists' current versions
	Revisions int
}

func (s *Stats) add(o Stats) {
	s.Counties += o.Counties
	s.Agencies += o.Agencies
	s.Lists += o.Lists
	s.Versions += o.Versions
	s.Items += o.Items
	s.Live += o.Live
	s.Revisions += o.Revisions
}

// Write generates the province of c and stores it through the store's bulk
// writer (models.BulkWriter): the regions first, then one transaction per
// county. progress, if set, is called after each county.
func Write(ctx context.Context, db *gorm.DB, c Config, progress func(county int, s Stats)) (Stats, error) {
	c = c.Defaults()
	if err := c.Validate(); err != nil {
		return Stats{}, apperr.New(apperr.Invalid, "生成参数有误：%v", err)
	}
	regions := Regions(c)
	var n int64
	if err := db.WithContext(ctx).Model(&models.Region{}).Where("code = ?", regions[0].Code).Count(&n).Error; err != nil {
		return Stats{}, fmt.Errorf("gen: %w", err)
	}
	if n > 0 {
		return Stats{}, apperr.New(apperr.Conflict, "行政区划 %s 已存在：gen 只写入新的省份，请换一个省级代码（--province）或使用空数据库", regions[0].Code)
	}
	w, err := models.NewBulkWriter(ctx, db)
	if err != nil {
		return Stats{}, err
	}
	defer w.Close()
	if err := w.Regions(ctx, regions); err != nil {
		return Stats{}, err
	}
	var total Stats
	for i := range c.Counties {
		county := GenerateCounty(c, regions, i)
		if err := w.County(ctx, county); err != nil {
			return total, fmt.Errorf("gen: %w", err)
		}
		total.add(countyStats(county))
		if progress != nil {
			progress(i+1, total)
		}
	}
	return total, nil
}

// countyStats counts what a county stores.
func countyStats(c County) Stats {
	st := Stats{Counties: 1, Agencies: len(c.Agencies), Lists: len(c.Lists)}
	for _, l := range c.Lists {
		st.Versions += len(l.Versions)
		st.Items += l.Items
		st.Live += l.Versions[len(l.Versions)-1].ItemCount
		st.Revisions += len(l.Revisions)
	}
	return st
}
