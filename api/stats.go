package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/export"
	"qingdan/models"
	"qingdan/stats"
)

// Statistics (统计分析) of a region and everything under it (?region=CODE,
// all regions when absent): JSON tables, or one of them as XLSX with
// ?format=xlsx&table=NAME.

func (s *Server) statsItems(c *gin.Context) {
	s.sendStats(c, func(ctx context.Context, region string) (stats.Answer, error) {
		return stats.Items(ctx, s.store, s.flow, region)
	})
}

func (s *Server) statsChanges(c *gin.Context) {
	var from, to time.Time
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := c.Query(name); v != "" {
			m, err := time.ParseInLocation("2006-01", v, models.China)
			if err != nil {
				invalid(c, "参数 %s 应为月份 YYYY-MM，收到 %q", name, v)
				return
			}
			*dst = m
		}
	}
	s.sendStats(c, func(ctx context.Context, region string) (stats.Answer, error) {
		return stats.Changes(ctx, s.store, s.flow, region, from, to)
	})
}

func (s *Server) statsRequests(c *gin.Context) {
	s.sendStats(c, func(ctx context.Context, region string) (stats.Answer, error) {
		return stats.Requests(ctx, s.store, currentUser(c), region)
	})
}

func (s *Server) statsFindings(c *gin.Context) {
	s.sendStats(c, func(ctx context.Context, region string) (stats.Answer, error) {
		return stats.Findings(ctx, s.store, s.flow, region)
	})
}

func (s *Server) sendStats(c *gin.Context, compute func(context.Context, string) (stats.Answer, error)) {
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != string(export.XLSX) {
		invalid(c, "参数 format 应为 json 或 xlsx，收到 %q", format)
		return
	}
	a, err := compute(c.Request.Context(), c.Query("region"))
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, a)
		return
	}
	t, ok := a.Table(c.Query("table"))
	if !ok {
		fail(c, apperr.New(apperr.Invalid, "参数 table：没有统计表“%s”", c.Query("table")))
		return
	}
	var buf bytes.Buffer
	subtitle := fmt.Sprintf("%s · 统计于 %s", a.Region.Name, time.Now().In(models.China).Format("2006-01-02 15:04"))
	if err := export.WriteSheet(&buf, t.Title, subtitle, t.Columns, t.Rows); err != nil {
		fail(c, err)
		return
	}
	name := a.Region.Name + t.Title + ".xlsx"
	sendFile(c, export.XLSX, name, fmt.Sprintf("qingdan-stats-%s-%s.xlsx", t.Name, a.Region.Code), buf.Bytes())
}
