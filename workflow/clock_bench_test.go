package workflow

import (
	"context"
	"testing"
	"time"

	"qingdan/dbtest"
	"qingdan/models"
)

// BenchmarkSupervision: the 督办 list of a county with 1,000 open requests
// (half in review, half waiting for publication), beside a bare reference —
// the one query that reads those requests, with no clocks. See BENCHMARKS.md.
func BenchmarkSupervision(b *testing.B) {
	for _, engine := range dbtest.Engines {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			store := models.NewStore(dbtest.Open(b, engine))
			if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
				b.Fatal(err)
			}
			at := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
			res, err := store.ImportList(ctx, models.ImportInput{Title: "红寺堡区医疗保障局权力清单", Kind: models.KindPower,
				AgencyName: "红寺堡区医疗保障局", RegionCode: "640303", SHA256: "bench", Items: hsbItems, At: at})
			if err != nil {
				b.Fatal(err)
			}
			list, _ := store.List(ctx, res.ListID)
			region := "640303"
			users := []*models.User{
				{Username: "ybj", DisplayName: "ybj", PasswordHash: "-", Role: models.RoleSubmitter, AgencyID: &list.AgencyID},
				{Username: "sfj", DisplayName: "sfj", PasswordHash: "-", Role: models.RoleLegalReviewer, RegionCode: &region},
			}
			for _, u := range users {
				if err := store.CreateUser(ctx, u); err != nil {
					b.Fatal(err)
				}
			}
			const n = 1000
			crs := make([]models.ChangeRequest, n)
			for i := range crs {
				state := models.StateLegalReview
				if i%2 == 1 {
					state = models.StateApproved
				}
				crs[i] = models.ChangeRequest{ListID: list.ID, AgencyID: list.AgencyID, BaseVersion: 1, Title: "调整", State: state,
					Version: 2, SubmitterID: users[0].ID, CreatedAt: at, UpdatedAt: at}
			}
			if err := store.DB(ctx).CreateInBatches(crs, 200).Error; err != nil {
				b.Fatal(err)
			}
			events := make([]models.Event, 0, n)
			for i, cr := range crs {
				events = append(events, models.Event{ChangeRequestID: cr.ID, Version: 2, Event: EventSubmit, FromState: models.StateDraft,
					ToState: cr.State, ActorID: users[0].ID, CreatedAt: at.Add(time.Duration(i) * time.Hour)})
			}
			if err := store.DB(ctx).CreateInBatches(events, 200).Error; err != nil {
				b.Fatal(err)
			}
			// On 10-20 the earliest of them are overdue and some due soon.
			s := New(store, WithClock(func() time.Time { return time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC) }))
			b.Run("bare", func(b *testing.B) {
				for b.Loop() {
					rows, _, err := store.ChangeRequests(ctx, models.ChangeRequestFilter{RegionCode: region, States: ClockedStates(), WithEvent: EventSubmit})
					if err != nil || len(rows) != n {
						b.Fatal(len(rows), err)
					}
				}
			})
			b.Run("supervision", func(b *testing.B) {
				for b.Loop() {
					out, err := s.Supervision(ctx, users[1], SortDue)
					if err != nil || len(out) == 0 {
						b.Fatal(len(out), err)
					}
				}
			})
		})
	}
}
