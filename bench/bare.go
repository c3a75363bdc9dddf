package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The bare reference of GET /api/v1/lists/:id/items: net/http and pgx, no
// gin, no gorm — the same two reads (the list's current version, then the
// version's items in list order) and the same JSON, byte for byte
// (bare_test.go checks). Citations are copied as stored: they are JSON already.

type bareItem struct {
	ID                  int64           `json:"id"`
	Seq                 int             `json:"seq"`
	Code                string          `json:"code"`
	Name                string          `json:"name"`
	Subitem             string          `json:"subitem"`
	Category            string          `json:"category"`
	Department          string          `json:"department"`
	Basis               string          `json:"basis"`
	Citations           json.RawMessage `json:"citations"`
	Level               string          `json:"level"`
	Content             string          `json:"content"`
	Duty                string          `json:"duty"`
	Responsibility      string          `json:"responsibility"`
	ResponsibilityBasis string          `json:"responsibility_basis"`
	Accountable         string          `json:"accountable"`
	Accountability      string          `json:"accountability"`
	Note                string          `json:"note"`
}

// bareItems is the product's {"items","list_id","version"}; gin writes a
// map's keys sorted, and so does this struct's order.
type bareItems struct {
	Items   []bareItem `json:"items"`
	ListID  int64      `json:"list_id"`
	Version int        `json:"version"`
}

const bareItemsSQL = `SELECT item_id, seq, code, name, subitem, category, department, basis, citations, level, content,
	duty, responsibility, responsibility_basis, accountable, accountability, note
FROM item_revisions WHERE list_id = $1 AND valid_from <= $2 AND valid_to > $2 ORDER BY position, item_id`

func bareHandler(pool *pgxpool.Pool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/lists/{id}/items", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			http.Error(w, `{"error":{"code":"invalid","message":"bad id"}}`, http.StatusBadRequest)
			return
		}
		ctx := r.Context()
		out := bareItems{ListID: id, Items: []bareItem{}}
		if err := pool.QueryRow(ctx, "SELECT current_version FROM lists WHERE id = $1", id).Scan(&out.Version); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				http.Error(w, `{"error":{"code":"not_found","message":"no list"}}`, http.StatusNotFound)
				return
			}
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		rows, err := pool.Query(ctx, bareItemsSQL, id, out.Version)
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		var it bareItem
		var cites string
		_, err = pgx.ForEachRow(rows, []any{&it.ID, &it.Seq, &it.Code, &it.Name, &it.Subitem, &it.Category, &it.Department,
			&it.Basis, &cites, &it.Level, &it.Content, &it.Duty, &it.Responsibility, &it.ResponsibilityBasis,
			&it.Accountable, &it.Accountability, &it.Note}, func() error {
			it.Citations = json.RawMessage(cites)
			out.Items = append(out.Items, it)
			return nil
		})
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		body, err := json.Marshal(out)
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"json"}}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	})
	return mux
}

// openPool connects with the product's pool size (models.Open: 20).
func openPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return pool, pool.Ping(ctx)
}

func runBare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8091", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	url, err := databaseURL()
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	srv := &http.Server{Addr: *addr, Handler: bareHandler(pool), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Printf("bare items handler on http://%s/api/v1/lists/{id}/items\n", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
