package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/frontend"
	"qingdan/notify"
	"qingdan/vcache"
	"qingdan/workflow"
)

// findingsInterval is how often the findings warmer looks for lists and
// registries it has not counted (see workflow.RunFindingsWarmer).
const findingsInterval = time.Minute

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "监听地址")
	seedsDir := fs.String("seeds", "seeds", "数据库中还没有清单时导入的清单文件目录")
	proxies := fs.String("trusted-proxies", "", "信任其 X-Forwarded-For 的反向代理地址或网段，逗号分隔（缺省不信任任何代理）")
	publicURL := fs.String("public-url", "", "本站的网址（如 https://qingdan.example.gov.cn），用于通知邮件中的链接")
	metricsAddr := fs.String("metrics-addr", "", "在此地址单独提供 /metrics，并从公开地址上去掉（缺省与网页同址）")
	idle := fs.Duration("idle-timeout", auth.DefaultIdleTimeout, "登录后多久无操作即失效")
	auditKeyFlag(fs)
	cacheBytes := fs.String("cache-bytes", cmp.Or(os.Getenv("QINGDAN_CACHE_BYTES"), "256MiB"),
		"已公布版本缓存（清单事项、导出、差异、对照表）的内存上限，如 512MiB、2GiB（环境变量 QINGDAN_CACHE_BYTES）")
	demo := fs.Bool("demo", false, "创建（缺少的）演示机关和演示账号，密码 "+auth.DemoPassword+"，并打印账号表")
	if err := fs.Parse(args); err != nil {
		return err
	}
	budget, err := humanize.ParseBytes(*cacheBytes)
	if err != nil || budget == 0 {
		return fmt.Errorf("--cache-bytes %q: 应为正的字节数，如 256MiB", *cacheBytes)
	}
	// Anonymous and public reads go to the replicas (models/replicas.go).
	store, err := openDB(ctx, splitList(os.Getenv("DATABASE_READ_URL"))...)
	if err != nil {
		return err
	}
	defer store.Close()
	// The current versions are kept in memory while the database's
	// notifications of publications reach this instance (models/heads.go).
	store.Listen(os.Getenv("DATABASE_URL"))
	if err := importSeedsIfEmpty(ctx, store, *seedsDir); err != nil {
		return err
	}
	flow := workflow.New(store)
	if n, err := flow.SeedRegistry(ctx); err != nil {
		return err
	} else if n > 0 {
		slog.Info("instrument registry seeded", "instruments", n)
	}
	// Link the citations imported or published since the last start, then
	// keep every list's findings counted; a province of lists takes a while,
	// so in the background (impact queries link what is still pending first).
	go func() {
		start := time.Now()
		if err := flow.LinkPending(ctx); err != nil {
			slog.Error("linking citations failed", "err", err)
		} else {
			slog.Info("citations linked", "took", time.Since(start))
		}
		flow.RunFindingsWarmer(ctx, findingsInterval)
	}()
	authService := auth.New(store, auth.Config{IdleTimeout: *idle})
	if *demo { // after the seeds, so the demo submitters get the agencies the import created
		if err := seedDemo(ctx, authService, os.Stdout); err != nil {
			return err
		}
	}

	mail, err := notify.MailFromEnv()
	if err != nil {
		return err
	}
	// Reminders and e-mails: every instance works the same queue in the database.
	go notify.New(store, workflow.New(store), notify.Config{Mail: mail, PublicURL: *publicURL}).Run(ctx)

	srv := &http.Server{
		Addr: *addr,
		Handler: api.NewRouter(api.Options{Store: store, UI: frontend.Dist(), Auth: authService,
			TrustedProxies: splitList(*proxies), MetricsElsewhere: *metricsAddr != "", Mail: mail,
			VersionCache: vcache.New(budget), Flow: flow}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("qingdan serving", "addr", *addr)
	if *metricsAddr != "" {
		ms := &http.Server{Addr: *metricsAddr, Handler: metricsOnly(api.MetricsHandler(store)), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- ms.ListenAndServe() }()
		defer ms.Close()
		slog.Info("metrics serving", "addr", *metricsAddr)
	}
	// Failed logins of unknown usernames are audited in aggregate, once a window.
	flush := time.NewTicker(auth.UnknownWindow)
	defer flush.Stop()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-flush.C:
				if err := authService.FlushFailedLogins(ctx); err != nil {
					slog.Warn("audit failed logins", "err", err)
				}
			}
		}
	}()
	defer func() {
		if err := authService.FlushFailedLogins(context.Background()); err != nil {
			slog.Warn("audit failed logins", "err", err)
		}
	}()
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

// metricsOnly serves the handler at /metrics and nothing else.
func metricsOnly(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	return mux
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
