// Command bench measures Qingdan against bare references doing the same work
// (BENCHMARKS.md). It is not part of the product binary. PostgreSQL only:
// every subcommand takes the database from DATABASE_URL.
//
//	go run ./bench bare     --addr 127.0.0.1:8091        the minimal net/http+pgx items handler
//	go run ./bench import   --counties 2                 ImportList vs COPY of the same rows
//	go run ./bench workbook --counties 3                 reading and importing a county's XLSX vs COPY
//	go run ./bench publish  --versions 300 --ops 50      publication latency on a long history, vs raw SQL
//	go run ./bench workflow --servers URL,URL --clients 8 --duration 20s
//	                                                     draft→published per second, vs raw SQL
//	go run ./bench pick                                  id of a 300-item list, for wrk
//	go run ./bench reading  --rounds 20                  search and statistics latency (also sqlite://)
//	go run ./bench basis    --counties 100               basis check and law-change impact vs reading the rows
//
// BENCH_CPUPROFILE=file writes a CPU profile of the run.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"syscall"

	"qingdan/models"
)

var commands = map[string]func(ctx context.Context, args []string) error{
	"bare":     runBare,
	"import":   runImport,
	"workbook": runWorkbook,
	"publish":  runPublish,
	"workflow": runWorkflow,
	"pick":     runPick,
	"reading":  runReading,
	"basis":    runBasis,
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintf(os.Stderr, "usage: bench %v [flags]   (DATABASE_URL=postgres://…)\n", names)
		os.Exit(2)
	}
	models.SetAuditKey([]byte("qingdan-bench-audit-key-measurements-only")) // bench databases are throwaway
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("BENCH_CPUPROFILE"); path != "" {
		// Where the time of a measurement goes: go tool pprof -top <file>.
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: cpu profile: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := commands[os.Args[1]](ctx, os.Args[2:]); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintf(os.Stderr, "bench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func databaseURL() (string, error) {
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		return "", fmt.Errorf("set DATABASE_URL to a PostgreSQL database")
	}
	return u, nil
}
