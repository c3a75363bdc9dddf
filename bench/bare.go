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

	"qingdan/basis"
	"qingdan/models"
)

// The bare reference of GET /api/v1/lists/:id/items: net/http and pgx, no
// gin, no gorm — the same two reads (the list's current version and
// arrangement, then the version's items), laid out by the same rule
// (models.Arrangement) into the same JSON, byte for byte (bare_test.go checks).

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
	, position FROM item_revisions WHERE list_id = $1 AND valid_from <= $2 AND valid_to > $2`

// bareRow is an item row as read, before it is laid out.
type bareRow struct {
	head     bareItemHead
	cites    string
	tail     bareItemTail
	position int
}

// readable turns the paragraph fields into the text the product sends
// (basis.Readable, the one rule of what a reader sees).
func (r *bareRow) readable() {
	h, t := &r.head, &r.tail
	f := basis.Readable(models.ItemFields{Name: h.Name, Subitem: h.Subitem, Department: h.Department, Basis: h.Basis,
		Level: t.Level, Content: t.Content, Duty: t.Duty, Responsibility: t.Responsibility, ResponsibilityBasis: t.ResponsibilityBasis,
		Accountable: t.Accountable, Accountability: t.Accountability, Note: t.Note})
	h.Name, h.Subitem, h.Department, h.Basis = f.Name, f.Subitem, f.Department, f.Basis
	t.Level, t.Content, t.Duty, t.Responsibility, t.ResponsibilityBasis = f.Level, f.Content, f.Duty, f.Responsibility, f.ResponsibilityBasis
	t.Accountable, t.Accountability, t.Note = f.Accountable, f.Accountability, f.Note
}

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
		var order, scope string
		if err := pool.QueryRow(ctx, "SELECT current_version, category_order, seq_scope FROM lists WHERE id = $1", id).Scan(&version, &order, &scope); err != nil {
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
		arr, err := models.ParseArrangement(order, scope)
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		var items []bareRow
		var row bareRow
		_, err = pgx.ForEachRow(rows, []any{&row.head.ID, &row.head.Seq, &row.head.Code, &row.head.Name, &row.head.Subitem, &row.head.Category,
			&row.head.Department, &row.head.Basis, &row.cites, &row.tail.Level, &row.tail.Content, &row.tail.Duty, &row.tail.Responsibility,
			&row.tail.ResponsibilityBasis, &row.tail.Accountable, &row.tail.Accountability, &row.tail.Note, &row.position}, func() error {
			items = append(items, row)
			return nil
		})
		if err != nil {
			http.Error(w, `{"error":{"code":"internal","message":"db"}}`, http.StatusInternalServerError)
			return
		}
		keys := make([]models.ItemRevision, len(items))
		for i, it := range items {
			keys[i] = models.ItemRevision{ID: int64(i), ItemID: it.head.ID, Name: it.head.Name, Subitem: it.head.Subitem,
				Category: it.head.Category, Position: it.position} // what the layout and numbering read
		}
		arr.Arrange(keys)
		// The product's items page: list_id, version, items.
		body := fmt.Appendf(make([]byte, 0, 1<<20), `{"list_id":%d,"version":%d,"items":[`, id, version)
		for n, k := range keys {
			it := items[k.ID]
			it.head.Seq = k.Seq
			it.readable()
			if n > 0 {
				body = append(body, ',')
			}
			if body, err = appendItem(body, it.head, it.cites, it.tail); err != nil {
				http.Error(w, `{"error":{"code":"internal","message":"json"}}`, http.StatusInternalServerError)
				return
			}
		}
		body = append(body, "]}"...)
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
