package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/frontend"
	"qingdan/models"
	"qingdan/workflow"
)

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "监听地址")
	seedsDir := fs.String("seeds", "seeds", "数据库中还没有清单时导入的清单文件目录")
	proxies := fs.String("trusted-proxies", "", "信任其 X-Forwarded-For 的反向代理地址或网段，逗号分隔（缺省不信任任何代理）")
	demo := fs.Bool("demo", false, "创建（缺少的）演示机关和演示账号，密码 "+auth.DemoPassword+"，并打印账号表")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx)
	if err != nil {
		return err
	}
	store := models.NewStore(db)
	if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
		return err
	}
	if err := importSeedsIfEmpty(ctx, store, *seedsDir); err != nil {
		return err
	}
	flow := workflow.New(store)
	if n, err := flow.SeedRegistry(ctx); err != nil {
		return err
	} else if n > 0 {
		slog.Info("instrument registry seeded", "instruments", n)
	}
	// Link the citations imported or published since the last start; a
	// province of lists takes a while, so in the background (impact queries
	// link what is still pending first).
	go func() {
		start := time.Now()
		if err := flow.LinkPending(ctx); err != nil {
			slog.Error("linking citations failed", "err", err)
			return
		}
		slog.Info("citations linked", "took", time.Since(start))
	}()
	authService := auth.New(store, auth.Config{})
	if *demo { // after the seeds, so the demo submitters get the agencies the import created
		if err := seedDemo(ctx, authService, os.Stdout); err != nil {
			return err
		}
	}

	srv := &http.Server{
		Addr:              *addr,
		Handler:           api.NewRouter(api.Options{Store: store, UI: frontend.Dist(), Auth: authService, TrustedProxies: splitList(*proxies)}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("qingdan serving", "addr", *addr)
	fmt.Printf("清单 Qingdan 已启动：http://localhost%s/\n", displayAddr(*addr))
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", *addr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return addr
	}
	return " (" + addr + ")"
}
