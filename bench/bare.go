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
// (bare_test.go checks).

// An item's fields before and after its citations, which are copied into
// the output as stored: json.Marshal wrote them, so they are already the
// compact, HTML-escaped JSON encoding/json would write (json.RawMessage
// would validate and compact them again on every request).
type bareItemHead struct {
	ID         int64  `json:"id"`
	Seq        int    `json:"seq"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Subitem    string `json:"subitem"`
	Category   string `json:"category"`
	Department string `json:"department"`
	Basis      string `json:"basis"`
}

type bareItemTail struct {
	Level               string `json:"level"`
	Content             string `json:"content"`
	Duty                string `json:"duty"`
	Responsibility      string `json:"responsibility"`
	ResponsibilityBasis string `json:"responsibility_basis"`
	Accountable         string `json:"accountable"`
	Accountability      string `json:"accountability"`
	Note                string `json:"note"`
}

// appendItem appends {head…,"citations":raw,tail…}.
func appendItem(buf []byte, head bareItemHead, citations string, tail bareItemTail) ([]byte, error) {
	h, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	t, err := json.Marshal(tail)
	if err != nil {
		return nil, err
	}
	buf = append(buf, h[:len(h)-1]...)
	buf = append(buf, `,"citations":`...)
	buf = append(buf, citations...)
	buf = append(buf, ',')
	return append(buf, t[1:]...), nil
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
		var version int
		if err := pool.QueryRow(ctx, "SELECT current_version FROM lists WHERE id = $1", id).Scan(&version); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				http.Error(w, `{"error":{"code":"not_found","message":"no list"}}`, http.StatusNotFound)
				return
			}
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		rows, err := pool.Query(ctx, bareItemsSQL, id, version)
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		// The product's gin.H{"items","list_id","version"}: keys sorted.
		body := append(make([]byte, 0, 1<<20), `{"items":[`...)
		var head bareItemHead
		var tail bareItemTail
		var cites string
		n := 0
		_, err = pgx.ForEachRow(rows, []any{&head.ID, &head.Seq, &head.Code, &head.Name, &head.Subitem, &head.Category, &head.Department,
			&head.Basis, &cites, &tail.Level, &tail.Content, &tail.Duty, &tail.Responsibility, &tail.ResponsibilityBasis,
			&tail.Accountable, &tail.Accountability, &tail.Note}, func() (err error) {
			if n > 0 {
				body = append(body, ',')
			}
			n++
			body, err = appendItem(body, head, cites, tail)
			return err
		})
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		body = fmt.Appendf(body, `],"list_id":%d,"version":%d}`, id, version)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	})
	return mux
}

// connectPool opens DATABASE_URL with pgx, as the bare references use it.
func connectPool(ctx context.Context) (*pgxpool.Pool, error) {
	url, err := databaseURL()
	if err != nil {
		return nil, err
	}
	return openPool(ctx, url)
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
	pool, err := connectPool(ctx)
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
