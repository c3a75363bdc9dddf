package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

func TestDemoAccountsAreCreatedOnceAndPrinted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
		var first, second bytes.Buffer
		if err := seedDemo(ctx, a, &first); err != nil {
			t.Fatal(err)
		}
		wantFirst := `演示账号（新建账号的密码均为 demo12345）：
  用户名   角色            所属                          状态
  hsb-ybj  填报人员        红寺堡区医疗保障局            新建
  hsb-sfj  合法性审查人员  红寺堡区司法局                新建
  hsb-gov  审定人员        红寺堡区人民政府              新建
  hsb-bb   编办审核人员    红寺堡区机构编制委员会办公室  新建
  yt-ybj   填报人员        于田县医疗保障局              新建
  yt-sfj   合法性审查人员  于田县司法局                  新建
  yt-gov   审定人员        于田县人民政府                新建
  yt-bb    编办审核人员    于田县机构编制委员会办公室    新建
  admin    系统管理员      全部                          新建
`
		if first.String() != wantFirst {
			t.Fatalf("first run printed:\n%s\nwant:\n%s", first.String(), wantFirst)
		}
		if err := seedDemo(ctx, a, &second); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(second.String(), "新建\n") || strings.Count(second.String(), "已存在，未改动") != 9 {
			t.Fatalf("second run printed:\n%s", second.String())
		}
		var users int64
		db.Model(&models.User{}).Count(&users)
		if users != 9 {
			t.Fatalf("%d users after two runs", users)
		}
	})
}
